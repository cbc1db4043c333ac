import Foundation

/// Drives HTTP load with wrk, the same generator against every server.
enum Wrk {
    /// Seconds a load lasts unless told.
    static let defaultDuration = 8

    /// Posts distinct alerts for `duration` over `connections` connections and returns requests per second.
    static func requestsPerSecond(url: String, path: String, bodyTemplate: BodyTemplate, batch: Int, token: String?,
                                  connections: Int = 32, duration: Int = defaultDuration, folder: URL) throws -> Double {
        let script = folder.appendingPathComponent("load-\(UUID().uuidString).lua")
        try bodyTemplate.lua(path: path, batch: batch, token: token).write(to: script, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/wrk")
        process.arguments = ["-t2", "-c\(connections)", "-d\(duration)s", "--timeout", "5s", "-s", script.path, url]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("Requests/sec:") }),
              let rate = Double(line.split(separator: " ").last ?? "") else {
            throw BenchError("wrk gave no rate:\n\(output)")
        }
        if let errors = output.split(separator: "\n").first(where: { $0.contains("Non-2xx") }) {
            throw BenchError("\(url)\(path) refused requests: \(errors.trimmingCharacters(in: .whitespaces))")
        }
        return rate
    }

    /// The JSON an alert is sent as, written as a Lua expression over a unique number `n`.
    enum BodyTemplate {
        /// Tocsin's own format, below the paging threshold.
        case tocsin
        /// Alertmanager's `/api/v2/alerts` format, routed to nobody.
        case alertmanager

        func lua(path: String, batch: Int, token: String?) -> String {
            let one: String = switch self {
            case .tocsin:
                #"string.format('{"source":"bench","dedup_key":"bench-%d-%d","summary":"disk usage high","service":"reporting","labels":{"urgency":"low"},"starts_at":"2026-11-21T10:00:00Z"}', seed, n)"#
            case .alertmanager:
                #"string.format('{"labels":{"alertname":"BenchDisk","instance":"host-%d-%d","severity":"info","urgency":"low","service":"reporting"},"annotations":{"summary":"disk usage high"},"startsAt":"2026-11-21T10:00:00Z"}', seed, n)"#
            }
            return """
                math.randomseed(os.time() + math.floor(os.clock() * 1000000))
                seed = math.random(1, 1000000000)
                counter = 0
                wrk.method = "POST"
                wrk.headers["Content-Type"] = "application/json"
                \(token.map { "wrk.headers[\"Authorization\"] = \"Bearer \($0)\"" } ?? "")
                request = function()
                  local parts = {}
                  for i = 1, \(batch) do
                    counter = counter + 1
                    local n = counter
                    parts[i] = \(one)
                  end
                  local body = "[" .. table.concat(parts, ",") .. "]"
                  return wrk.format(nil, "\(path)", nil, body)
                end
                """
        }
    }
}
