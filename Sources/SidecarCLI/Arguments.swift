/// A command line, taken apart: options with values, boolean flags, positionals.
///
/// Each command declares what it accepts; anything else is a usage error (exit 2), so a typo never
/// passes silently.
struct Arguments {
    struct UsageError: Error, CustomStringConvertible {
        let description: String
    }

    private(set) var options: [String: String] = [:]
    private(set) var flags: Set<String> = []
    private(set) var positionals: [String] = []

    init(_ args: [String], options allowedOptions: Set<String>, flags allowedFlags: Set<String>) throws {
        var i = 0
        while i < args.count {
            let arg = args[i]
            if arg == "--" {
                positionals.append(contentsOf: args[(i + 1)...])
                break
            }
            if arg.hasPrefix("-") && arg.count > 1 {
                var name = arg
                var inlineValue: String?
                if let eq = arg.firstIndex(of: "=") {
                    name = String(arg[..<eq])
                    inlineValue = String(arg[arg.index(after: eq)...])
                }
                if allowedFlags.contains(name) && inlineValue == nil {
                    flags.insert(name)
                } else if allowedOptions.contains(name) {
                    if let inlineValue {
                        options[name] = inlineValue
                    } else {
                        guard i + 1 < args.count else { throw UsageError(description: "\(name) needs a value") }
                        i += 1
                        options[name] = args[i]
                    }
                } else {
                    throw UsageError(description: "unknown option \(name)")
                }
            } else {
                positionals.append(arg)
            }
            i += 1
        }
    }

    func has(_ flag: String) -> Bool { flags.contains(flag) }
    subscript(option: String) -> String? { options[option] }
}
