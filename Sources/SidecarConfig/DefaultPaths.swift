import Foundation

/// Where the socket and the ledger go when neither the config nor the environment says.
///
/// - socket: `$XDG_RUNTIME_DIR/provider-sidecar/sidecar.sock`, else `/tmp/provider-sidecar-$UID/sidecar.sock`
///   (the server creates a missing socket directory with mode 0750);
/// - ledger: `$XDG_STATE_HOME/provider-sidecar/ledger.sqlite`, else `~/.local/state/provider-sidecar/ledger.sqlite`,
///   else (no HOME) next to the socket under /tmp. The server creates this default ledger directory (mode
///   0700); a configured ledger path must be in an existing directory, so a typo is reported, not created.
struct DefaultPaths {
    let socket: String
    let ledger: String

    init(environment: [String: String]) {
        let directory = ConfigDefaults.socketDirectoryName
        let temporary = "/tmp/\(directory)-\(getuid())"
        let runtime = Self.absolute(environment["XDG_RUNTIME_DIR"]).map { "\($0)/\(directory)" } ?? temporary
        socket = "\(runtime)/\(ConfigDefaults.socketFileName)"
        let state =
            Self.absolute(environment["XDG_STATE_HOME"]).map { "\($0)/\(directory)" }
            ?? Self.absolute(environment["HOME"]).map { "\($0)/.local/state/\(directory)" }
            ?? temporary
        ledger = "\(state)/\(ConfigDefaults.ledgerFileName)"
    }

    /// The XDG spec says relative values are invalid and must be ignored.
    private static func absolute(_ value: String?) -> String? {
        guard let value, value.hasPrefix("/") else { return nil }
        return value.count > 1 && value.hasSuffix("/") ? String(value.dropLast()) : value
    }
}
