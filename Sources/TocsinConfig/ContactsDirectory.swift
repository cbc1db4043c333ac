import Foundation
import TocsinCore

/// Reads `Contacts/people.yaml` and `Contacts/roles.yaml` into a `Roster`.
enum ContactsDirectory {
    static func load(folder: String) throws -> Roster {
        let peopleFile = "\(folder)/people.yaml"
        let rolesFile = "\(folder)/roles.yaml"
        let peopleRoot = try ConfigNode.load(URL(fileURLWithPath: peopleFile), displayName: peopleFile).allowingOnly(["people"])
        var people: [Person] = []
        for item in try peopleRoot["people"].items() {
            let item = try item.allowingOnly(["id", "name", "timezone", "contact", "external"])
            let id = try item["id"].string()
            guard !people.contains(where: { $0.id == id }) else { throw item["id"].error("person \"\(id)\" is listed twice") }
            let zone = try item["timezone"].string(default: "UTC")
            guard TimeZone(identifier: zone) != nil else { throw item["timezone"].error("\"\(zone)\" is not an IANA time zone such as Asia/Shanghai") }
            let methods = try item["contact"].items().map { method -> ContactMethod in
                let method = try method.allowingOnly(["channel", "webhook"])
                let url = try method["webhook"].string()
                guard url.hasPrefix("http://") || url.hasPrefix("https://"), URL(string: url) != nil else {
                    throw method["webhook"].error("expected an http:// or https:// URL, got \"\(url)\"")
                }
                return ContactMethod(channel: try method["channel"].string(default: "webhook"), webhookURL: url)
            }
            guard !methods.isEmpty else { throw item["contact"].error("\(id) has no contact method, so could never be paged") }
            people.append(Person(id: id, name: try item["name"].string(), timeZone: zone, contactMethods: methods,
                                 isExternal: try item["external"].bool(default: false)))
        }
        guard !people.isEmpty else { throw peopleRoot["people"].error("missing; list at least one person") }

        let rolesRoot = try ConfigNode.load(URL(fileURLWithPath: rolesFile), displayName: rolesFile).allowingOnly(["roles"])
        var roles: [Role: RoleHolders] = [:]
        for (name, holders) in try rolesRoot["roles"].entries() {
            let holders = try holders.allowingOnly(["primary", "backup"])
            let primary = try holders["primary"].string()
            let backup = try holders["backup"].string()
            for (id, key) in [(primary, "primary"), (backup, "backup")] where !people.contains(where: { $0.id == id }) {
                throw holders[key].error("no person \"\(id)\" in \(peopleFile)")
            }
            roles[Role(name)] = RoleHolders(primary: primary, backup: backup)
        }
        for role in Role.emergencyRoles where roles[role] == nil {
            throw rolesRoot["roles"].error("the emergency role \(role) has no holders; every emergency role needs a primary and a backup")
        }
        return Roster(people: people, roles: roles)
    }
}
