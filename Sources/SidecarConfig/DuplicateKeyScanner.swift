import Foundation

/// Finds keys written twice in one JSON object. JSON parsers keep one of the two silently, so a
/// setting edited in one place and left in another would go unnoticed; the config calls that an error.
/// Runs on bytes already known to be valid JSON.
enum DuplicateKeyScanner {
    private struct Frame {
        let isObject: Bool
        let path: String
        var keys: Set<String> = []
        var expectingKey = true
        var currentKey = ""
        var index = 0
    }

    /// The path of every repeated key (`providers[0].timeout_s`), in document order.
    static func duplicates(in bytes: [UInt8]) -> [String] {
        var stack: [Frame] = []
        var found: [String] = []
        var position = 0
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                stack.append(Frame(isObject: byte == UInt8(ascii: "{"), path: valuePath(stack)))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                stack.removeLast()
            case UInt8(ascii: ","):
                if stack.isEmpty { break }
                stack[stack.count - 1].expectingKey = true
                stack[stack.count - 1].index += 1
            case UInt8(ascii: "\""):
                let end = stringEnd(bytes, from: position)
                if var frame = stack.last, frame.isObject, frame.expectingKey {
                    let key = decode(Array(bytes[position..<end]))
                    if !frame.keys.insert(key).inserted { found.append(JSONPath.child(frame.path, key)) }
                    frame.currentKey = key
                    frame.expectingKey = false
                    stack[stack.count - 1] = frame
                }
                position = end - 1
            default:
                break
            }
            position += 1
        }
        return found
    }

    /// Where the value starting now sits.
    private static func valuePath(_ stack: [Frame]) -> String {
        guard let frame = stack.last else { return "" }
        return frame.isObject ? JSONPath.child(frame.path, frame.currentKey) : JSONPath.index(frame.path, frame.index)
    }

    /// The index just past the closing quote of the string opening at `start`.
    private static func stringEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var position = start + 1
        while position < bytes.count, bytes[position] != UInt8(ascii: "\"") {
            position += bytes[position] == UInt8(ascii: "\\") ? 2 : 1
        }
        return min(position + 1, bytes.count)
    }

    /// A quoted JSON string's value (escapes resolved).
    private static func decode(_ quoted: [UInt8]) -> String {
        let value = try? JSONSerialization.jsonObject(with: Data(quoted), options: .fragmentsAllowed)
        return value as? String ?? String(decoding: quoted.dropFirst().dropLast(), as: UTF8.self)
    }
}
