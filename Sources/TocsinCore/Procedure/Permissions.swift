/// Who the actor is on this incident, for deciding what they may do.
struct Permissions {
    /// A way to be allowed an action.
    enum Holder: String {
        case commander, coordinator, businessLead = "business lead", executor, leadership
        /// Anyone named in Contacts/.
        case anyone = "anyone in Contacts/"
    }

    let actor: String
    let record: ProcedureRecord
    let roster: Roster

    var isLeadership: Bool {
        roster.roles(of: actor).contains(.leadership)
    }

    func holds(_ holder: Holder) -> Bool {
        switch holder {
        case .commander: record.roles.commander == actor
        case .coordinator: record.roles.coordinator == actor
        case .businessLead: record.roles.businessLead == actor
        case .executor: record.roles.executors.contains(actor)
        case .leadership: isLeadership
        case .anyone: roster.people[actor] != nil
        }
    }

    func require(action: String, _ allowed: [Holder]) throws(ProcedureError) {
        guard allowed.contains(where: holds) else {
            let names = allowed.map { holder -> String in
                switch holder {
                case .commander: "the incident commander (\(record.roles.commander ?? "none"))"
                case .coordinator: "the coordinator (\(record.roles.coordinator ?? "none"))"
                case .businessLead: "the business lead (\(record.roles.businessLead ?? "none"))"
                case .executor: "an executor (\(record.roles.executors.joined(separator: ", ")))"
                case .leadership: "a member of the leadership group"
                case .anyone: holder.rawValue
                }
            }
            throw .notPermitted(actor: actor, action: action, allowed: names.joined(separator: " or "))
        }
    }
}

extension IncidentRoles {
    /// Who holds `role`; for executors, the first of the team.
    public func holder(of role: IncidentRole) -> String? {
        switch role {
        case .commander: commander
        case .coordinator: coordinator
        case .businessLead: businessLead
        case .executor: executors.first
        }
    }

    /// Gives `role` to `person`; executors are added to the team rather than replaced.
    mutating func assign(_ role: IncidentRole, to person: String) {
        switch role {
        case .commander: commander = person
        case .coordinator: coordinator = person
        case .businessLead: businessLead = person
        case .executor: if !executors.contains(person) { executors.append(person) }
        }
    }
}
