import Foundation
import Logging
import Synchronization
import TocsinCore
import TocsinPager

/// Where the fallback alarm goes, and how often it repeats.
public struct FallbackSettings: Sendable {
    public var contacts: [ContactMethod]
    public var repeatEvery: Duration

    public init(contacts: [ContactMethod], repeatEvery: Duration = .seconds(300)) {
        self.contacts = contacts
        self.repeatEvery = repeatEvery
    }
}

/// Watches whether the engine can work and sends the fallback alarm's messages straight to the
/// fallback contacts with libcurl, as every page goes, but from memory: nothing of it waits on
/// the record. What it sent is written to the system timeline once the record takes it.
public final class FallbackWatch: Sendable {
    let engine: Engine
    let settings: FallbackSettings
    let delivery: PageDelivery
    let logger: Logger
    private let alarm = Mutex(FallbackAlarm())
    /// Messages sent and not yet on the system timeline, oldest first.
    private let unrecorded = Mutex<[SystemEvent]>([])

    public init(engine: Engine, settings: FallbackSettings, delivery: PageDelivery, logger: Logger) {
        self.engine = engine
        self.settings = settings
        self.delivery = delivery
        self.logger = logger
    }

    /// Looks once, and sends what the alarm says to send; returns it. Then writes what was
    /// sent, now or before, to the system timeline, if the record takes it.
    @discardableResult
    public func check() async -> FallbackMessage? {
        let readiness = engine.readiness()
        let now = engine.clock.now()
        let message = alarm.withLock { $0.next(readiness, now: now, repeatEvery: settings.repeatEvery) }
        if let message {
            let reached = await send(message)
            unrecorded.withLock { $0.append(SystemEvent(message, reached: reached)) }
        }
        recordSent()
        return message
    }

    /// Sends `message` to every fallback contact at once; returns what each attempt came to.
    private func send(_ message: FallbackMessage) async -> [String] {
        logger.critical("fallback alarm \(message.kind.rawValue): \(message.text)")
        let json = (try? TocsinJSON.encoder.encode(message)) ?? Data()
        return await withTaskGroup(of: (Int, String).self) { group in
            for (index, method) in settings.contacts.enumerated() {
                let rendered = PageRendering.request(json: json, text: message.text, to: method)
                let page = OutboundPage(id: 0, incidentID: 0, idempotencyKey: message.idempotencyKey(contact: index + 1), person: "fallback-\(index + 1)", channel: method.channel,
                                        url: rendered.url, body: rendered.body, contentType: rendered.contentType)
                group.addTask { [delivery, logger] in
                    let result = await delivery.deliver(page)
                    let contact = "\(method.channel) #\(index + 1)"
                    guard result.delivered else {
                        logger.critical("the fallback alarm could not reach \(contact): \(result.error ?? "?")")
                        return (index, "\(contact) failed: \(result.error ?? "no answer")")
                    }
                    return (index, "\(contact) delivered")
                }
            }
            return await group.reduce(into: [(Int, String)]()) { $0.append($1) }.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    private func recordSent() {
        let events = unrecorded.withLock { $0 }
        guard !events.isEmpty else { return }
        do {
            try engine.store.recordSystemEvents(events)
            unrecorded.withLock { $0.removeFirst(min(events.count, $0.count)) }
        } catch {
            logger.warning("the fallback alarm's messages wait to be recorded: \(error)")
        }
    }

    /// Looks every `interval` until cancelled.
    public func run(every interval: Duration = .seconds(5)) async {
        while !Task.isCancelled {
            await check()
            try? await Task.sleep(for: interval)
        }
    }
}
