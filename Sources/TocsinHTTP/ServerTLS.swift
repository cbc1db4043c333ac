import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOSSL

/// tocsind's TLS certificate and key, ready to serve HTTPS.
///
/// PagerDuty's clients only talk to an `https://` base URL; with a certificate tocsind
/// answers them itself, without a proxy in front.
public struct ServerTLS: Sendable {
    let server: HTTPServerBuilder

    /// Loads a PEM certificate chain and private key; throws when either cannot be read.
    public init(certificatePath: String, keyPath: String) throws {
        let chain = try NIOSSLCertificate.fromPEMFile(certificatePath).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        server = try .tls(.http1(), tlsConfiguration: .makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key)))
    }
}
