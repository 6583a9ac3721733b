import Glibc

/// Why the simulated upstream could not start.
public struct SimulatorError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    /// A failed system call, with the errno text.
    static func system(_ call: String) -> SimulatorError {
        SimulatorError(description: "\(call): \(String(cString: strerror(errno)))")
    }
}
