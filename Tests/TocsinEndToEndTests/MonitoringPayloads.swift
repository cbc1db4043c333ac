import Foundation
import TocsinCore

/// Payloads as Alertmanager, Prometheus and Grafana write them, for the in-process tests.
enum MonitoringPayloads {
    static let paymentLabels = ["alertname": "PaymentErrors", "service": "payments-core", "severity": "critical", "scenario": "total_outage"]

    static func labelledAlert(_ labels: [String: String] = paymentLabels, status: String? = "firing", startsAt: Date, endsAt: String = "0001-01-01T00:00:00Z",
                              summary: String = "Payment API errors above 20%", fingerprint: Bool = true, extra: [String: Any] = [:]) -> [String: Any] {
        var alert: [String: Any] = [
            "labels": labels, "annotations": ["summary": summary, "runbook_url": "https://wiki.example/payments"],
            "startsAt": nanosecondTime(startsAt), "endsAt": endsAt, "generatorURL": "http://prometheus.example/graph?g0.expr=x",
        ]
        if let status { alert["status"] = status }
        if fingerprint { alert["fingerprint"] = AlertFingerprint.of(labels) }
        alert.merge(extra) { _, new in new }
        return alert
    }

    /// An Alertmanager webhook notification (`version: "4"`), with fields Tocsin does not read.
    static func webhook(_ alerts: [[String: Any]], status: String = "firing", truncated: Int = 0, groupKey: String = #"{}:{alertname="PaymentErrors"}"#) -> String {
        json([
            "version": "4", "groupKey": groupKey, "truncatedAlerts": truncated, "status": status, "receiver": "tocsin",
            "groupLabels": ["alertname": "PaymentErrors"], "commonLabels": [:] as [String: String], "commonAnnotations": [:] as [String: String],
            "externalURL": "http://alertmanager-1.example:9093", "alerts": alerts, "someFutureField": ["nested": true],
        ])
    }

    /// A Grafana unified-alerting webhook notification.
    static func grafana(_ alerts: [[String: Any]]) -> String {
        json([
            "receiver": "tocsin", "status": "firing", "orgId": 1, "alerts": alerts, "groupLabels": [:] as [String: String],
            "commonLabels": [:] as [String: String], "commonAnnotations": [:] as [String: String], "externalURL": "https://grafana.example/",
            "version": "1", "groupKey": "{}:{}", "truncatedAlerts": 0, "title": "[FIRING:1]", "state": "alerting", "message": "**Firing**",
        ])
    }

    static func json(_ object: Any) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// Go's RFC 3339 with nanoseconds, as Alertmanager writes times.
    static func nanosecondTime(_ date: Date) -> String {
        UTCTime.string(date).replacingOccurrences(of: "Z", with: "123456Z")
    }
}
