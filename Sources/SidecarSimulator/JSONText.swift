/// Hand-written JSON text: the simulator writes vendor payloads byte for byte, in the field order the vendors
/// document, which a generic encoder would not guarantee.
enum JSONText {
    /// `value` as a JSON string literal, quotes included. Non-ASCII characters stay raw UTF-8, as the vendors
    /// send them (so split points can land inside a multi-byte character).
    static func quote(_ value: String) -> String {
        var out = "\""
        out.reserveCapacity(value.utf8.count + 2)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
        return out
    }

    /// A JSON string literal, or `null` when the value is absent.
    static func quoteOrNull(_ value: String?) -> String {
        value.map(quote) ?? "null"
    }
}

extension String {
    /// This string as a JSON string literal (see `JSONText.quote`).
    var jsonQuoted: String { JSONText.quote(self) }
}
