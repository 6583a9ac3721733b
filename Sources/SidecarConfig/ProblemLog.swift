/// Collects problems while a config is read, so validation goes on after the first one and reports all.
final class ProblemLog {
    private(set) var problems: [ConfigProblem] = []

    var isEmpty: Bool { problems.isEmpty }

    func add(_ path: String, _ message: String) {
        problems.append(ConfigProblem(path: path, message: message))
    }

    /// Throws everything collected, if anything was, grouped by top-level section in `sectionOrder`
    /// (sections not in it first) and otherwise in the order found.
    func check(sectionOrder: [String]) throws(ConfigError) {
        if problems.isEmpty { return }
        func rank(_ problem: ConfigProblem) -> Int {
            let section = problem.path.prefix { $0 != "." && $0 != "[" }
            return sectionOrder.firstIndex(of: String(section)) ?? -1
        }
        let ordered = problems.enumerated().sorted { a, b in
            (rank(a.element), a.offset) < (rank(b.element), b.offset)
        }
        throw ConfigError(problems: ordered.map(\.element))
    }
}

/// JSON path spelling: `a.b`, `a[0]`, and `a["odd key"]` for keys that are not plain identifiers.
enum JSONPath {
    static func child(_ path: String, _ key: String) -> String {
        let plain =
            !key.isEmpty
            && key.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII
                    && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_"
                        || scalar == "-")
            }
        if plain { return path.isEmpty ? key : "\(path).\(key)" }
        return "\(path)[\(quoted(key))]"
    }

    static func index(_ path: String, _ index: Int) -> String { "\(path)[\(index)]" }

    /// A name in double quotes, with quotes and backslashes escaped.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for character in text {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out + "\""
    }
}
