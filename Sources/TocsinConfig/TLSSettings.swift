/// Where tocsind finds its TLS certificate and key, from `listen.tls`.
///
/// PagerDuty's clients (and many webhook senders) only speak HTTPS, so tocsind can serve
/// TLS itself rather than needing a proxy in front.
public struct TLSSettings: Sendable, Hashable {
    /// PEM file with the certificate chain, leaf first.
    public var certificatePath: String
    /// PEM file with the private key.
    public var keyPath: String

    public init(certificatePath: String, keyPath: String) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
    }
}
