import Foundation
import Logging
import Synchronization
import TocsinConfig
import TocsinCore
import TocsinEngine
import TocsinPager

/// Reads the configuration again while `tocsind` runs, on `SIGHUP` or `POST /api/v1/system/reload`.
///
/// The new `tocsin.yaml`, `Contacts/` and `Runbooks/` are checked whole first, exactly as at
/// start; a bad one is refused with the same file-and-key errors and the running one stays. A
/// good one replaces the heartbeats, then the rules and the tokens, each in one step: a request
/// or a timer already under way finishes with what it read, and every later one reads the new.
/// Timers are rows and running escalations keep the policy copied when they opened, so none is
/// lost. What changed is logged and written to the system timeline.
public final class ConfigurationReload: Sendable {
    /// What a reload came to.
    public enum Outcome: Sendable {
        case applied(ConfigurationDifference)
        /// Each problem as `file: key: problem`; nothing was changed.
        case refused([String])
    }

    private let path: String
    private let engine: Engine
    private let access: ServerAccess
    private let logger: Logger
    /// The configuration in force; held locked through a reload, so two never interleave.
    private let running: Mutex<TocsinConfiguration>

    public init(path: String, running: TocsinConfiguration, engine: Engine, access: ServerAccess, logger: Logger) {
        self.path = path
        self.engine = engine
        self.access = access
        self.logger = logger
        self.running = Mutex(running)
    }

    /// Reloads on behalf of `actor` (a person, or `SIGHUP`).
    public func reload(by actor: String) -> Outcome {
        running.withLock { running in
            let loaded: TocsinConfiguration
            do {
                loaded = try TocsinConfiguration.load(path: path)
            } catch let error as ConfigError {
                return refuse([error.description], by: actor)
            } catch let errors as ConfigErrors {
                return refuse(errors.errors.map(\.description), by: actor)
            } catch {
                return refuse(["\(path): \(error)"], by: actor)
            }
            let difference = ConfigurationDifference(from: running, to: loaded)
            let now = engine.clock.now()
            do {
                try engine.store.declareHeartbeats(loaded.heartbeats, rules: engine.rules, now: now)
            } catch {
                return refuse(["the record could not take the new heartbeats: \(error)"], by: actor)
            }
            engine.current.replace(configured: loaded.responseRules,
                                   delivery: PageDelivery(timeout: loaded.deliveryTimeout, connectTimeout: loaded.deliveryConnectTimeout, roster: loaded.roster))
            access.replace(tokens: loaded.tokens, integrations: loaded.integrations)
            running = loaded
            do {
                try engine.planShiftStarts()
            } catch {
                logger.error("the shift starts of the reloaded roster could not be planned: \(error)")
            }
            engine.poke()

            let changes = difference.changes.isEmpty ? "nothing" : difference.changes.joined(separator: "; ")
            var detail = ["by": actor, "file": path, "changes": changes]
            if !difference.needsRestart.isEmpty { detail["needs_restart"] = difference.needsRestart.joined(separator: ", ") }
            logger.notice("configuration reloaded by \(actor): \(changes)\(difference.needsRestart.isEmpty ? "" : "; needs a restart: \(difference.needsRestart.joined(separator: ", "))")")
            do {
                try engine.store.recordSystemEvents([SystemEvent(at: now, kind: "config_reloaded", detail: detail)])
            } catch {
                logger.error("the reload is in force but could not be recorded: \(error)")
            }
            return .applied(difference)
        }
    }

    private func refuse(_ problems: [String], by actor: String) -> Outcome {
        logger.error("configuration reload by \(actor) refused, the running configuration stays:\n\(problems.joined(separator: "\n"))")
        return .refused(problems)
    }
}
