import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The machine's state next to each number: everything here shares two cores with whatever else runs.
enum MachineLoad {
    /// The 1, 5 and 15 minute load averages from `/proc/loadavg`.
    static func current() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "?" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    static var cores: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
}
