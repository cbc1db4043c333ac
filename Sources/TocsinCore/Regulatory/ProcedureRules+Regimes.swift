extension ProcedureRules {
    /// Every enabled regime: the plan's upward report (when `regulatoryReportWithin` is set) first.
    public var regulatoryRegimes: [RegulatoryRegime] {
        (regulatoryReportWithin.map { [RegulatoryRegime.upward(within: $0)] } ?? []) + regimes
    }

    public func regime(_ id: String) -> RegulatoryRegime? {
        regulatoryRegimes.first { $0.id == id }
    }

    /// The regime report a timer subject names, for the regimes other than the upward report.
    public func regulatoryReport(subject: String) -> (RegulatoryRegime, RegulatoryReport)? {
        guard subject.hasPrefix(RegulatoryRegime.subjectPrefix) else { return nil }
        let parts = subject.dropFirst(RegulatoryRegime.subjectPrefix.count).split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, let regime = regimes.first(where: { $0.id == parts[0] }), let report = regime.report(parts[1]) else { return nil }
        return (regime, report)
    }
}
