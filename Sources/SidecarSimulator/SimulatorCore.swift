/// State shared by every connection of one simulated upstream.
final class SimulatorCore: Sendable {
    let anthropicKey: String
    let openAIKey: String
    let queue = BehaviourQueue()
    let log = RequestLog()
    private let pacing: Locked<Double>
    private let serial = Locked(0)

    init(anthropicKey: String, openAIKey: String, pacingMilliseconds: Double) {
        self.anthropicKey = anthropicKey
        self.openAIKey = openAIKey
        pacing = Locked(pacingMilliseconds)
    }

    /// Delay between SSE events when a behaviour does not set its own.
    var defaultPacingMilliseconds: Double {
        get { pacing.withLock { $0 } }
        set { pacing.withLock { $0 = newValue } }
    }

    /// The next request number (never reused, even across `reset`).
    func nextSerial() -> Int {
        serial.withLock { value in
            value += 1
            return value
        }
    }
}
