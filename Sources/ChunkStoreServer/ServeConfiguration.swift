/// How `chunkstore serve` listens and what it accepts.
public struct ServeConfiguration: Sendable {
    /// The store directory as the user named it: error messages quote it as the CLI does.
    public var storePath: String
    /// The address to listen on; loopback unless asked otherwise.
    public var host: String
    /// The TCP port; 0 picks a free one (the listening line on stderr names it).
    public var port: Int
    /// When set, every endpoint but `/ping`, `/health` and the dashboard's page `/` needs it
    /// (`Authorization: Token T`, `Bearer T`, Basic with T as password, or v1's `p=T`).
    public var token: String?
    /// The largest request body accepted, before and after gzip decompression.
    public var maxBodyBytes: Int
    /// The version `/health` and `/ping` report.
    public var version: String
    /// PEM files of the certificate chain and its private key: with both, the server
    /// speaks HTTPS only.
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    /// How long a client may take to send a request: a connection that sends nothing for
    /// this long while no request of it is being answered (slow or missing headers, an
    /// idle keep-alive connection) is closed, and so is one whose request body has not
    /// arrived whole this long after its headers. Nothing of a request cut off is stored.
    public var readTimeout: Duration

    /// The default ``readTimeout``: 30 seconds.
    public static let defaultReadTimeout = Duration.seconds(30)

    /// The default limit of a request body: 25 MiB, as InfluxDB's.
    public static let defaultMaxBodyBytes = 25 << 20

    /// Creates a configuration with the CLI's defaults.
    public init(storePath: String, host: String = "127.0.0.1", port: Int = 8086, token: String? = nil,
                maxBodyBytes: Int = ServeConfiguration.defaultMaxBodyBytes, version: String = "0.1.0",
                tlsCertificatePath: String? = nil, tlsKeyPath: String? = nil,
                readTimeout: Duration = ServeConfiguration.defaultReadTimeout) {
        self.storePath = storePath
        self.host = host
        self.port = port
        self.token = token
        self.maxBodyBytes = maxBodyBytes
        self.version = version
        self.tlsCertificatePath = tlsCertificatePath
        self.tlsKeyPath = tlsKeyPath
        self.readTimeout = readTimeout
    }
}
