import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One line per event on stderr: `time level event key=value ...`.
///
/// Values are quoted when they contain spaces. Callers pass only non-secret values: the logger has no
/// way to recognise a key, so credentials are kept out by construction (`Secret` prints `<redacted>`).
public struct Logger: Sendable {
    public let level: LogLevel
    private let fd: Int32

    public init(level: LogLevel, fd: Int32 = 2) {
        self.level = level
        self.fd = fd
    }

    public func error(_ event: String, _ fields: KeyValuePairs<String, String?> = [:]) { log(.error, event, fields) }
    public func warn(_ event: String, _ fields: KeyValuePairs<String, String?> = [:]) { log(.warn, event, fields) }
    public func info(_ event: String, _ fields: KeyValuePairs<String, String?> = [:]) { log(.info, event, fields) }
    public func debug(_ event: String, _ fields: KeyValuePairs<String, String?> = [:]) { log(.debug, event, fields) }

    public func log(_ lineLevel: LogLevel, _ event: String, _ fields: KeyValuePairs<String, String?>) {
        log(lineLevel, event, fields.map { ($0.key, $0.value) })
    }

    /// Writes one line; `nil` values are left out.
    public func log(_ lineLevel: LogLevel, _ event: String, _ fields: [(String, String?)]) {
        guard lineLevel <= level else { return }
        var line = "\(Self.timestamp()) \(lineLevel.rawValue) \(event)"
        for (key, value) in fields {
            guard let value else { continue }
            line += " \(key)=\(Self.quote(value))"
        }
        line += "\n"
        var bytes = Array(line.utf8)
        _ = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress, $0.count) }
    }

    private static func quote(_ value: String) -> String {
        guard value.isEmpty || value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }) else {
            return value
        }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
        return "\"\(escaped)\""
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` in UTC, built digit by digit (`String(format:)` costs several µs a line).
    private static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var t = now.tv_sec
        var parts = tm()
        gmtime_r(&t, &parts)
        var text = ""
        text.reserveCapacity(24)
        func digits(_ value: Int, _ width: Int, then separator: String) {
            let plain = String(value)
            if plain.count < width { text += String(repeating: "0", count: width - plain.count) }
            text += plain + separator
        }
        digits(Int(parts.tm_year) + 1900, 4, then: "-")
        digits(Int(parts.tm_mon) + 1, 2, then: "-")
        digits(Int(parts.tm_mday), 2, then: "T")
        digits(Int(parts.tm_hour), 2, then: ":")
        digits(Int(parts.tm_min), 2, then: ":")
        digits(Int(parts.tm_sec), 2, then: ".")
        digits(now.tv_nsec / 1_000_000, 3, then: "Z")
        return text
    }
}
