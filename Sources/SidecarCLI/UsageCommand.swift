import Foundation
import SidecarConfig
import SidecarLedger
import SidecarProtocol

/// `provider-sidecar usage`: totals and one breakdown from the ledger, through the running sidecar or
/// straight from the ledger file; `usage export` writes rows as CSV or JSON lines.
struct UsageCommand: Command {
    static let usage = """
        usage: provider-sidecar usage [--socket PATH | --ledger FILE] [--since T] [--until T] [--agent A]
                                      [--provider P] [--model M] [--by agent|provider|model|day] [--json]
               provider-sidecar usage export --ledger FILE [--format csv|jsonl] [--out FILE] [filters]

        Without --ledger, asks the running sidecar (socket as for `call`). With --ledger, reads the file
        directly, which works while the sidecar is down. T is an RFC 3339 time or a UTC date (YYYY-MM-DD);
        --since is inclusive, --until exclusive. `export` writes one line per request (default CSV to stdout).

        """
    static let options: Set<String> = [
        "--socket", "--ledger", "--since", "--until", "--agent", "--provider", "--model", "--by", "--format", "--out",
    ]
    static let flags: Set<String> = ["--json"]

    static func run(_ args: Arguments) async throws -> ExitCode {
        let query = try makeQuery(args)
        switch args.positionals {
        case []:
            let report = try args["--ledger"].map { try fromLedger($0, query) } ?? fromSocket(args["--socket"], query)
            Terminal.out(
                args.has("--json") ? String(decoding: report.json.encoded(), as: UTF8.self) + "\n" : report.table())
            return .success
        case ["export"]:
            return try export(args, query)
        default:
            throw Arguments.UsageError(description: "unexpected argument \"\(args.positionals[0])\"")
        }
    }

    private static func makeQuery(_ args: Arguments) throws -> UsageQuery {
        var fields: [String: JSONValue] = [:]
        for (option, key) in [
            ("--since", "since"), ("--until", "until"), ("--agent", "agent"),
            ("--provider", "provider"), ("--model", "model"), ("--by", "group_by"),
        ] {
            if let value = args[option] { fields[key] = .string(value) }
        }
        do {
            return try UsageQuery(json: .object(fields))
        } catch {
            throw Arguments.UsageError(description: error.message)
        }
    }

    private static func fromLedger(_ path: String, _ query: UsageQuery) throws -> UsageReport {
        let reader = try LedgerReader.open(path: path)
        defer { reader.close() }
        return try reader.usage(query)
    }

    private static func fromSocket(_ socket: String?, _ query: UsageQuery) throws -> UsageReport {
        let client = try SidecarClient(path: SocketPath.resolve(socket))
        guard case .object(var fields) = query.json else { return try UsageReport(json: [:]) }
        fields["type"] = "usage"
        fields["id"] = "usage-1"
        let reply = try client.request(.object(fields))
        if let error = reply["error"] {
            throw SidecarClient.ClientError(
                description: "\(error["code"]?.stringValue ?? "error"): \(error["message"]?.stringValue ?? "")")
        }
        return try UsageReport(json: reply["report"] ?? [:])
    }

    private static func export(_ args: Arguments, _ query: UsageQuery) throws -> ExitCode {
        guard let path = args["--ledger"] else {
            throw Arguments.UsageError(description: "usage export reads the ledger file: give --ledger FILE")
        }
        let formatName = args["--format"] ?? "csv"
        guard let format = ExportFormat(rawValue: formatName) else {
            let known = ExportFormat.allCases.map(\.rawValue).joined(separator: ", ")
            throw Arguments.UsageError(description: "unknown --format \"\(formatName)\" (one of: \(known))")
        }
        let reader = try LedgerReader.open(path: path)
        defer { reader.close() }
        if let out = args["--out"] {
            guard FileManager.default.createFile(atPath: out, contents: nil),
                let handle = FileHandle(forWritingAtPath: out)
            else { throw SidecarClient.ClientError(description: "cannot write \(out)") }
            defer { try? handle.close() }
            try reader.export(query, format: format, to: handle)
        } else {
            try reader.export(query, format: format) { Terminal.out($0) }
        }
        return .success
    }
}
