/// The identity of a Prometheus-style alert: a hash of its sorted label set.
///
/// It is the same 64-bit FNV-1a hash, written as 16 hex digits, that Prometheus and
/// Alertmanager call an alert's fingerprint. So an alert Prometheus pushes straight to
/// tocsind and the same alert relayed by an Alertmanager (or by both members of an HA pair)
/// get the same dedup key and fold into one open alert.
public enum AlertFingerprint {
    /// The fingerprint of `labels`, such as `"3e1a8c06b8a5f6d2"`.
    public static func of(_ labels: [String: String]) -> String {
        var hash: UInt64 = 14_695_981_039_346_656_037
        func add<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash &* 1_099_511_628_211
            }
        }
        let separator: [UInt8] = [0xFF]
        for (name, value) in labels.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            add(name.utf8)
            add(separator)
            add(value.utf8)
            add(separator)
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The dedup key Tocsin gives an Alertmanager-family alert with this fingerprint.
    public static func dedupKey(_ fingerprint: String) -> String {
        "fingerprint:\(fingerprint)"
    }
}
