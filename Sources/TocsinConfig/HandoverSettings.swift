import TocsinCore

/// Reads the `handover:` section: how long the incoming holder of a role has to acknowledge a
/// handover after the shift change before being paged (and as long again before the role's
/// backup is), and how far ahead of the change the outgoing one may write it.
///
/// ```yaml
/// handover:
///   acknowledge_within: 15m
///   write_ahead: 12h
/// ```
enum HandoverSettings {
    static func load(_ node: ConfigNode) throws -> HandoverRules {
        let node = try node.allowingOnly(["acknowledge_within", "write_ahead"])
        let defaults = HandoverRules()
        let within = try node["acknowledge_within"].duration(default: defaults.acknowledgeWithin)
        guard within >= .seconds(60) else { throw node["acknowledge_within"].error("must be at least 1m") }
        guard within <= .seconds(24 * 3600) else { throw node["acknowledge_within"].error("must be at most 24h") }
        let ahead = try node["write_ahead"].duration(default: defaults.writeAhead)
        guard ahead >= .seconds(60), ahead <= .seconds(7 * 86_400) else { throw node["write_ahead"].error("must be between 1m and 7d") }
        return HandoverRules(acknowledgeWithin: within, writeAhead: ahead)
    }
}
