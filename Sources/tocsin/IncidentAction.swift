import ArgumentParser
import Foundation
import TocsinCore

/// Posts one procedure action and prints where the incident stands afterwards.
struct IncidentAction {
    var server: ServerOptions

    func post(_ id: Int64, _ action: String, _ fields: [String: Any] = [:]) async throws {
        let body = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
        let data = try await server.call("POST", "/api/v1/incidents/\(id)/\(action)", body: body)
        print(Standing.describe(data, incident: id))
    }
}

/// Renders `GET /api/v1/incidents/{id}/procedure` for people.
enum Standing {
    static func describe(_ data: Data, incident id: Int64) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return String(decoding: data, as: UTF8.self) }
        let stage = object["stage"] as? String ?? "?"
        let next = (object["next_stages"] as? [String] ?? []).joined(separator: ", ")
        var lines = ["Incident \(id) is \(stage)" + (next.isEmpty ? "." : "; next: \(next).")]
        let procedure = object["procedure"] as? [String: Any] ?? [:]
        if let roles = procedure["roles"] as? [String: Any] {
            let executors = (roles["executors"] as? [String] ?? []).joined(separator: ", ")
            lines.append("  commander \(roles["commander"] as? String ?? "-"), coordinator \(roles["coordinator"] as? String ?? "-"), business lead \(roles["business_lead"] as? String ?? "-"), executors \(executors.isEmpty ? "-" : executors)")
        }
        if let plan = procedure["plan"] as? [String: Any] {
            lines.append("  plan: \(plan["root_cause"] as? String ?? "") — approved by \(plan["approved_by"] as? String ?? "nobody yet")")
        }
        if let reconciliation = procedure["reconciliation"] as? [String: Any], stage == "reconciling" || stage == "closed" {
            let found = reconciliation["discrepancies_found"] as? Int ?? 0
            let resolved = reconciliation["discrepancies_resolved"] as? Int ?? 0
            lines.append("  reconciliation: \(reconciliation["affected_transactions"] as? Int ?? 0) transactions, \(reconciliation["amount"] as? String ?? "-") \(reconciliation["currency"] as? String ?? ""), discrepancies open \(found - resolved)")
        }
        let checklist = object["checklist"] as? [[String: Any]] ?? []
        for item in checklist {
            let done = item["done_by"] as? String
            lines.append("  [\(done == nil ? " " : "x")] \(item["step"] as? Int ?? 0). \(item["text"] as? String ?? "")\(done.map { " (\($0))" } ?? "")")
        }
        return lines.joined(separator: "\n")
    }
}
