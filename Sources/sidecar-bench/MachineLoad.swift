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

extension MachineLoad {
    /// User plus system CPU time this process (the simulated upstream and the clients) has used, in seconds.
    static func ownCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
