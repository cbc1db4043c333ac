import Foundation
import TocsinCore

/// Reads `Contacts/`: `people.yaml`, `roles.yaml`, and the optional `rotations.yaml` and
/// `stand_ins.yaml`, into a `Roster`. Every reference is checked, so a typo is named with its
/// file and key instead of paging nobody.
enum ContactsDirectory {
    static func load(folder: String, environment: [String: String] = [:]) throws -> Roster {
        let peopleFile = "\(folder)/people.yaml"
        let peopleRoot = try ConfigNode.load(URL(fileURLWithPath: peopleFile), displayName: peopleFile).allowingOnly(["people"])
        var people: [Person] = []
        for item in try peopleRoot["people"].items() {
            let item = try item.allowingOnly(["id", "name", "timezone", "contact", "external"])
            let id = try item["id"].string()
            guard !people.contains(where: { $0.id == id }) else { throw item["id"].error("person \"\(id)\" is listed twice") }
            let zone = try item["timezone"].string(default: "UTC")
            guard TimeZone(identifier: zone) != nil else { throw item["timezone"].error("\"\(zone)\" is not an IANA time zone such as Asia/Shanghai") }
            var methods: [ContactMethod] = []
            for node in try item["contact"].items() {
                let method = try contactMethod(node, environment: environment)
                guard !methods.contains(where: { $0.channel == method.channel }) else {
                    throw node["channel"].error("\(id) has two contact methods on channel \"\(method.channel)\"; give each its own `channel` name")
                }
                methods.append(method)
            }
            people.append(Person(id: id, name: try item["name"].string(), timeZone: zone, contactMethods: methods,
                                 isExternal: try item["external"].bool(default: false)))
        }
        guard !people.isEmpty else { throw peopleRoot["people"].error("missing; list at least one person") }
        let known = Set(people.map(\.id))

        let rotationsFile = "\(folder)/rotations.yaml"
        var rotations: [Rotation] = []
        if FileManager.default.fileExists(atPath: rotationsFile) {
            let root = try ConfigNode.load(URL(fileURLWithPath: rotationsFile), displayName: rotationsFile).allowingOnly(["rotations"])
            for (id, node) in try root["rotations"].entries().sorted(by: { $0.key < $1.key }) {
                rotations.append(try RotationText.parse(id: id, node, people: known, peopleFile: peopleFile))
            }
        }

        let rolesFile = "\(folder)/roles.yaml"
        let rolesRoot = try ConfigNode.load(URL(fileURLWithPath: rolesFile), displayName: rolesFile).allowingOnly(["roles"])
        var roles: [Role: RoleHolders] = [:]
        for (name, holders) in try rolesRoot["roles"].entries() {
            let holders = try holders.allowingOnly(["primary", "backup"])
            func reference(_ key: String) throws -> HolderReference {
                let reference = HolderReference(text: try holders[key].string())
                switch reference {
                case .person(let id) where !known.contains(id):
                    throw holders[key].error("no person \"\(id)\" in \(peopleFile)")
                case .rotation(let id) where !rotations.contains(where: { $0.id == id }):
                    throw holders[key].error("no rotation \"\(id)\" in \(rotationsFile)")
                default:
                    return reference
                }
            }
            roles[Role(name)] = RoleHolders(primary: try reference("primary"), backup: try reference("backup"))
        }
        for role in Role.emergencyRoles where roles[role] == nil {
            throw rolesRoot["roles"].error("the emergency role \(role) has no holders; every emergency role needs a primary and a backup")
        }

        let standInsFile = "\(folder)/stand_ins.yaml"
        var standIns: [StandIn] = []
        if FileManager.default.fileExists(atPath: standInsFile) {
            let root = try ConfigNode.load(URL(fileURLWithPath: standInsFile), displayName: standInsFile).allowingOnly(["stand_ins"])
            for item in try root["stand_ins"].items() {
                let item = try item.allowingOnly(["person", "stand_in", "start", "end", "reason"])
                let person = try item["person"].string()
                let standIn = try item["stand_in"].string()
                for (id, key) in [(person, "person"), (standIn, "stand_in")] where !known.contains(id) {
                    throw item[key].error("no person \"\(id)\" in \(peopleFile)")
                }
                guard person != standIn else { throw item["stand_in"].error("\(person) cannot stand in for themselves") }
                let start = try item["start"].instant()
                let end = try item["end"].instant()
                guard end > start else { throw item["end"].error("ends before it starts") }
                standIns.append(StandIn(person: person, standIn: standIn, start: start, end: end,
                                        reason: item["reason"].exists ? try item["reason"].string() : nil))
            }
        }
        return Roster(people: people, roles: roles, rotations: rotations, standIns: standIns)
    }

    static let flavourKeys: [String: ContactFlavour] = ["webhook": .json, "slack": .slack, "sms": .sms]

    /// One contact method: exactly one of `webhook` (Tocsin's JSON), `slack` (a Slack-compatible
    /// incoming webhook) or `sms` (an SMS gateway URL template with `{message}`).
    static func contactMethod(_ node: ConfigNode, environment: [String: String]) throws -> ContactMethod {
        let node = try node.allowingOnly(["channel", "webhook", "slack", "sms", "delay", "secret", "secret_env", "rate_limit"])
        let given = flavourKeys.keys.sorted().filter { node[$0].exists }
        guard given.count == 1, let key = given.first, let flavour = flavourKeys[key] else {
            throw node.error(given.isEmpty ? "a contact method needs one of: webhook, slack, sms (a URL)" : "give only one of webhook, slack, sms per contact method")
        }
        let url = try node[key].string()
        var secret: String?
        if node["secret_env"].exists {
            let name = try node["secret_env"].string()
            guard let value = environment[name], !value.isEmpty else { throw node["secret_env"].error("environment variable \(name) is not set") }
            secret = value
        } else if node["secret"].exists {
            secret = try node["secret"].string()
        }
        let method = ContactMethod(
            channel: try node["channel"].string(default: key), webhookURL: url, flavour: flavour,
            delay: try node["delay"].duration(default: .zero), signingSecret: secret,
            rateLimit: node["rate_limit"].exists ? try rateLimit(node["rate_limit"]) : nil
        )
        if let problem = method.problem { throw node[key].error(problem) }
        return method
    }

    /// `rate_limit: {messages: 6, per: 1m}`, or `none`.
    static func rateLimit(_ node: ConfigNode) throws -> RateLimit {
        if node.node?.scalar != nil, try node.string() == "none" { return .unlimited }
        let node = try node.allowingOnly(["messages", "per"])
        let messages = try node["messages"].int()
        guard messages >= 1 else { throw node["messages"].error("at least 1 message, got \(messages)") }
        let per = try node["per"].duration()
        guard per > .zero else { throw node["per"].error("a window longer than zero") }
        return RateLimit(messages: messages, per: per)
    }
}
