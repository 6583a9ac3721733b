import Testing

@testable import SidecarHTTP

/// Which limit runs when, as both transports rely on it. Times are plain nanosecond counts.
@Suite struct ExchangeDeadlinesTests {
    let timeouts = HTTPTimeouts(
        connect: .nanoseconds(100), firstByte: .nanoseconds(300), idle: .nanoseconds(50), total: .nanoseconds(1_000))

    private func earliest(_ deadlines: ExchangeDeadlines) -> String? {
        deadlines.earliest.map { "\($0.name) at \($0.at)" }
    }

    /// Before the connection is up: connect, first byte and total count from the start.
    @Test func connectingRunsConnectFirstByteAndTotal() {
        var deadlines = ExchangeDeadlines(timeouts: timeouts, startedAt: 1_000, connected: false)
        #expect(earliest(deadlines) == "connect at 1100")
        deadlines.connected = true
        #expect(earliest(deadlines) == "first byte at 1300")
        let onlyTotal = ExchangeDeadlines(
            timeouts: HTTPTimeouts(total: .nanoseconds(5)), startedAt: 1, connected: false)
        #expect(earliest(onlyTotal) == "total at 6")
    }

    /// Once the head arrived, idle counts from the last read, except while reading is paused.
    @Test func idleRunsAfterTheHeadUnlessReadingIsPaused() {
        var deadlines = ExchangeDeadlines(timeouts: timeouts, startedAt: 1_000, connected: true)
        deadlines.headReceived = true
        deadlines.lastActivity = 1_200
        #expect(earliest(deadlines) == "idle at 1250")
        deadlines.readingPaused = true
        #expect(earliest(deadlines) == "total at 2000")
    }

    /// No timer is needed when nothing can run out; a connect limit alone stops counting once connected.
    @Test func canExpireOnlyWithARunningLimit() {
        #expect(!ExchangeDeadlines(timeouts: HTTPTimeouts(), startedAt: 0, connected: false).canExpire)
        let connectOnly = HTTPTimeouts(connect: .seconds(1))
        #expect(ExchangeDeadlines(timeouts: connectOnly, startedAt: 0, connected: false).canExpire)
        #expect(!ExchangeDeadlines(timeouts: connectOnly, startedAt: 0, connected: true).canExpire)
        let idleOnly = ExchangeDeadlines(timeouts: HTTPTimeouts(idle: .seconds(1)), startedAt: 0, connected: true)
        #expect(idleOnly.canExpire)
        #expect(idleOnly.earliest == nil)
    }
}
