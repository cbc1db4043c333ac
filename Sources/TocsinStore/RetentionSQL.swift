/// The statements that decide what retention may archive, the same for both stores: a closed
/// incident with no alert firing, no page of its own waiting and no other incident's page
/// waiting in one of its bundles; never the newest incident or alert.
public enum RetentionSQL {
    /// `(id, closed_at)` of archivable incidents; `WHERE` and `ORDER BY` follow.
    public static let closedIncidents = """
        SELECT id, closed_at FROM (
            SELECT i.id, (SELECT MAX(e.at) FROM event e WHERE e.incident_id = i.id AND e.kind = 'stage_changed') AS closed_at
            FROM incident i
            WHERE i.stage = 'closed' AND i.id < (SELECT MAX(id) FROM incident)
              AND NOT EXISTS (SELECT 1 FROM alert a WHERE a.incident_id = i.id AND a.status = 'firing')
              AND NOT EXISTS (SELECT 1 FROM page p WHERE p.incident_id = i.id AND p.status = 'pending')
              AND NOT EXISTS (SELECT 1 FROM page m JOIN page b ON m.bundle_id = b.id WHERE b.incident_id = i.id AND m.status = 'bundled')
        ) closed
        """

    /// Resolved alerts of no incident; `AND` conditions and `ORDER BY` follow.
    public static let resolvedAlerts = """
        SELECT * FROM alert WHERE status = 'resolved' AND incident_id IS NULL AND id < (SELECT MAX(id) FROM alert)
        """
}
