/// Reads typed fields out of a JSON object, failing with `bad_request` and the field's path
/// (`messages[1].content[0].type: expected string, got number`). Unknown fields are ignored, as the
/// protocol requires.
struct FieldReader {
    let fields: [String: JSONValue]
    let path: String

    init(_ value: JSONValue, path: String) throws(SidecarError) {
        guard case .object(let fields) = value else {
            throw SidecarError(
                .badRequest, "\(path.isEmpty ? "message" : path): expected object, got \(value.typeName)")
        }
        self.fields = fields
        self.path = path
    }

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func present(_ key: String) -> JSONValue? {
        guard let value = fields[key], value != .null else { return nil }
        return value
    }

    func fail(_ key: String, _ problem: String) -> SidecarError {
        SidecarError(.badRequest, "\(name(key)): \(problem)")
    }

    func mismatch(_ key: String, expected: String, got value: JSONValue) -> SidecarError {
        fail(key, "expected \(expected), got \(value.typeName)")
    }

    func string(_ key: String) throws(SidecarError) -> String? {
        guard let value = present(key) else { return nil }
        guard let s = value.stringValue else { throw mismatch(key, expected: "string", got: value) }
        return s
    }

    func requiredString(_ key: String) throws(SidecarError) -> String {
        guard let s = try string(key) else { throw fail(key, "missing") }
        return s
    }

    func int(_ key: String, min: Int? = nil) throws(SidecarError) -> Int? {
        guard let value = present(key) else { return nil }
        guard let n = value.intValue else { throw mismatch(key, expected: "integer", got: value) }
        if let min, n < min { throw fail(key, "must be at least \(min)") }
        return n
    }

    func double(_ key: String) throws(SidecarError) -> Double? {
        guard let value = present(key) else { return nil }
        guard let n = value.doubleValue else { throw mismatch(key, expected: "number", got: value) }
        return n
    }

    func bool(_ key: String) throws(SidecarError) -> Bool? {
        guard let value = present(key) else { return nil }
        guard let b = value.boolValue else { throw mismatch(key, expected: "boolean", got: value) }
        return b
    }

    func array(_ key: String) throws(SidecarError) -> [JSONValue]? {
        guard let value = present(key) else { return nil }
        guard let a = value.arrayValue else { throw mismatch(key, expected: "array", got: value) }
        return a
    }

    func object(_ key: String) throws(SidecarError) -> JSONValue? {
        guard let value = present(key) else { return nil }
        guard value.objectValue != nil else { throw mismatch(key, expected: "object", got: value) }
        return value
    }
}
