import SidecarProtocol

/// Validates JSON against the subset of JSON Schema 2020-12 that proto-spec/schema uses: `type`, `const`,
/// `enum`, `properties`, `required`, `items`, `minItems`, `minimum`, `minLength`, `anyOf`, `oneOf` and local
/// `$ref`s into `$defs`. Annotations (`description`, `default`, `title`) are ignored. Test-only: it lets the
/// vectors be checked against the schemas without a third-party validator.
struct SchemaValidator {
    let root: JSONValue

    /// The reasons `value` does not match (empty when it does).
    func problems(_ value: JSONValue) -> [String] {
        problems(value, root, path: "$")
    }

    private func problems(_ value: JSONValue, _ schema: JSONValue, path: String) -> [String] {
        if let ref = schema["$ref"]?.stringValue {
            guard ref.hasPrefix("#/$defs/"), let target = root["$defs"]?[String(ref.dropFirst(8))] else {
                return ["\(path): unresolvable $ref \(ref)"]
            }
            return problems(value, target, path: path)
        }
        var found: [String] = []
        if let type = schema["type"], !Self.hasType(value, type) {
            found.append("\(path): expected type \(type), got \(value.typeName)")
        }
        if let expected = schema["const"], !Self.equal(expected, value) {
            found.append("\(path): expected \(expected)")
        }
        if let options = schema["enum"]?.arrayValue, !options.contains(where: { Self.equal($0, value) }) {
            found.append("\(path): not one of \(options)")
        }
        if let minimum = schema["minimum"]?.doubleValue, let n = value.doubleValue, n < minimum {
            found.append("\(path): below \(minimum)")
        }
        if let minLength = schema["minLength"]?.intValue, let s = value.stringValue, s.count < minLength {
            found.append("\(path): shorter than \(minLength)")
        }
        if case .object(let fields) = value {
            for key in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where fields[key] == nil {
                found.append("\(path).\(key): missing")
            }
            for (key, sub) in schema["properties"]?.objectValue ?? [:] {
                if let member = fields[key] { found += problems(member, sub, path: "\(path).\(key)") }
            }
        }
        if case .array(let items) = value {
            if let minItems = schema["minItems"]?.intValue, items.count < minItems {
                found.append("\(path): fewer than \(minItems) items")
            }
            if let itemSchema = schema["items"] {
                for (i, item) in items.enumerated() { found += problems(item, itemSchema, path: "\(path)[\(i)]") }
            }
        }
        if let options = schema["anyOf"]?.arrayValue,
            !options.contains(where: { problems(value, $0, path: path).isEmpty })
        {
            found.append("\(path): matches none of anyOf")
        }
        if let options = schema["oneOf"]?.arrayValue {
            let matching = options.filter { problems(value, $0, path: path).isEmpty }.count
            if matching != 1 { found.append("\(path): matches \(matching) of oneOf, expected 1") }
        }
        return found
    }

    private static func hasType(_ value: JSONValue, _ type: JSONValue) -> Bool {
        if let names = type.arrayValue { return names.contains { hasType(value, $0) } }
        switch (type.stringValue, value) {
        case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string), ("array", .array),
            ("object", .object):
            return true
        case ("integer", .number(let n)):
            return n.rounded() == n
        default:
            return false
        }
    }

    private static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool { a == b }
}
