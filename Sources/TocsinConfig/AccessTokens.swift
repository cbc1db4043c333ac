import TocsinCore

/// Reads the `tokens:` list: which bearer token belongs to which person or integration.
///
/// A token is written inline (fine for a local demo) or read from an environment variable
/// with `token_env`, which is how production keeps secrets out of files.
enum AccessTokens {
    static func load(_ node: ConfigNode, roster: Roster, environment: [String: String]) throws -> [String: Principal] {
        var tokens: [String: Principal] = [:]
        for item in try node.items() {
            let item = try item.allowingOnly(["person", "integration", "token", "token_env"])
            let principal: Principal
            if item["person"].exists {
                let id = try item["person"].string()
                guard roster.people[id] != nil else { throw item["person"].error("no person \"\(id)\" in Contacts/") }
                principal = .person(id)
            } else if item["integration"].exists {
                principal = .integration(try item["integration"].string())
            } else {
                throw item.error("each token belongs to a `person` or an `integration`")
            }
            let token: String
            if item["token_env"].exists {
                let name = try item["token_env"].string()
                guard let value = environment[name], !value.isEmpty else { throw item["token_env"].error("environment variable \(name) is not set") }
                token = value
            } else {
                token = try item["token"].string()
            }
            guard token.utf8.count >= 12 else { throw item.error("token too short; use at least 12 characters") }
            guard tokens[token] == nil else { throw item.error("the same token is given twice") }
            tokens[token] = principal
        }
        return tokens
    }
}
