/// The one gate for text an upstream chose (error messages, error `type`s and `code`s, event names, header
/// values) on its way into a `ProviderFailure`, and so into an `error` frame, `status` and the log.
///
/// Upstreams echo keys back, whole or in part (a masked key, a 24-character prefix), and may put them in any
/// field, so every piece is redacted: each run of the text made of pieces of the key at least
/// `minimumFragment` bytes long becomes `<redacted>`. Names must also be plain words (`plainName`), which a
/// client or an operator can match on; anything else becomes `unknown`.
struct UpstreamText: Sendable {
    static let redacted = "<redacted>"
    /// The shortest piece of the key that is redacted; shorter ones are too common to be evidence.
    static let minimumFragment = 8
    /// Upstream messages are cut to this many UTF-8 bytes (before redaction, so a cut key is still caught).
    static let maxMessageBytes = 1024
    static let maxNameBytes = 64
    /// What an upstream type or code that is not a plain name is replaced with.
    static let unknownName = "unknown"

    /// Every `minimumFragment`-byte window of the key, packed big-endian: a text byte run matches a key
    /// fragment of at least that length exactly when each of its windows is one of these.
    private let keyWindows: Set<UInt64>
    /// A key shorter than `minimumFragment` is only redacted whole.
    private let shortKey: [UInt8]?

    init(key: String?) {
        let bytes = Array((key ?? "").utf8)
        var windows = Set<UInt64>()
        if bytes.count >= Self.minimumFragment {
            var window: UInt64 = 0
            for (index, byte) in bytes.enumerated() {
                window = window << 8 | UInt64(byte)
                if index >= Self.minimumFragment - 1 { windows.insert(window) }
            }
        }
        keyWindows = windows
        shortKey = bytes.isEmpty || bytes.count >= Self.minimumFragment ? nil : bytes
    }

    /// An upstream message: cut to `maxMessageBytes` (noting the cut), key pieces redacted, control
    /// characters turned into spaces so a message stays one log line.
    func message(_ text: String) -> String {
        var bytes = Array(text.utf8.prefix(Self.maxMessageBytes))
        let cut = bytes.count < text.utf8.count
        bytes = redacting(bytes).map { $0 < 0x20 || $0 == 0x7F ? 0x20 : $0 }
        let flat = String(decoding: bytes, as: UTF8.self)
        return cut ? flat + "... (cut at \(Self.maxMessageBytes) bytes)" : flat
    }

    /// An upstream error `type` or `code`, or an event name: kept when it is a plain name (1 to 64 of
    /// `a-z 0-9 _ . -`) that holds no piece of the key, else `unknown`.
    func name(_ text: String) -> String {
        let bytes = Array(text.utf8)
        guard (1...Self.maxNameBytes).contains(bytes.count), bytes.allSatisfy(Self.isPlain),
            redacting(bytes) == bytes
        else { return Self.unknownName }
        return text
    }

    private static func isPlain(_ byte: UInt8) -> Bool {
        (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x5F || byte == 0x2E || byte == 0x2D
    }

    /// Replaces each maximal run covered by key windows (or each whole short key) with `<redacted>`, in one
    /// pass over the text with one set lookup per byte.
    private func redacting(_ bytes: [UInt8]) -> [UInt8] {
        var runs: [Range<Int>] = []
        if let shortKey {
            var start = 0
            while let found = bytes[start...].firstRange(of: shortKey) {
                runs.append(found)
                start = found.upperBound
            }
        } else if !keyWindows.isEmpty {
            var window: UInt64 = 0
            for (index, byte) in bytes.enumerated() {
                window = window << 8 | UInt64(byte)
                guard index >= Self.minimumFragment - 1, keyWindows.contains(window) else { continue }
                let start = index + 1 - Self.minimumFragment
                if let last = runs.last, start <= last.upperBound {
                    runs[runs.count - 1] = last.lowerBound..<index + 1
                } else {
                    runs.append(start..<index + 1)
                }
            }
        }
        guard !runs.isEmpty else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var next = 0
        for run in runs {
            out += bytes[next..<run.lowerBound]
            out += Self.redacted.utf8
            next = run.upperBound
        }
        out += bytes[next...]
        return out
    }
}
