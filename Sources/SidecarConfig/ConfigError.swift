/// One thing wrong with a config: where (a JSON path such as `providers[1].kind`) and what.
public struct ConfigProblem: Sendable, Equatable, CustomStringConvertible {
    /// JSON path of the offending value; empty for problems about the file as a whole.
    public var path: String
    /// Never contains a credential: values are echoed only for names (kinds, models, agents), never for
    /// keys, key variables or headers.
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `path: message`, or just the message when there is no path.
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// Why a config could not be loaded: every problem found, not just the first, so one run of
/// `check-config` shows everything to fix.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [ConfigProblem]

    public init(problems: [ConfigProblem]) { self.problems = problems }

    public init(path: String = "", _ message: String) {
        problems = [ConfigProblem(path: path, message: message)]
    }

    /// One problem per line.
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
