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
/// the record.
public final class FallbackWatch: Sendable {
    let engine: Engine
    let settings: FallbackSettings
    let delivery: PageDelivery
    let logger: Logger
    private let alarm = Mutex(FallbackAlarm())

    public init(engine: Engine, settings: FallbackSettings, delivery: PageDelivery, logger: Logger) {
        self.engine = engine
        self.settings = settings
        self.delivery = delivery
        self.logger = logger
    }

    /// Looks once, and sends what the alarm says to send; returns it.
    @discardableResult
    public func check() async -> FallbackMessage? {
        let readiness = engine.readiness()
        let now = engine.clock.now()
        guard let message = alarm.withLock({ $0.next(readiness, now: now, repeatEvery: settings.repeatEvery) }) else { return nil }
        logger.critical("fallback alarm \(message.kind.rawValue): \(message.text)")
        let json = (try? TocsinJSON.encoder.encode(message)) ?? Data()
        await withTaskGroup(of: Void.self) { group in
            for (index, method) in settings.contacts.enumerated() {
                let rendered = PageRendering.request(json: json, text: message.text, to: method)
                let page = OutboundPage(id: 0, incidentID: 0, idempotencyKey: message.idempotencyKey(contact: index + 1), person: "fallback-\(index + 1)", channel: method.channel,
                                        url: rendered.url, body: rendered.body, contentType: rendered.contentType)
                group.addTask { [delivery, logger] in
                    let result = await delivery.deliver(page)
                    if !result.delivered { logger.critical("the fallback alarm could not reach \(method.channel) #\(index + 1): \(result.error ?? "?")") }
                }
            }
        }
        return message
    }

    /// Looks every `interval` until cancelled.
    public func run(every interval: Duration = .seconds(5)) async {
        while !Task.isCancelled {
            await check()
            try? await Task.sleep(for: interval)
        }
    }
}
