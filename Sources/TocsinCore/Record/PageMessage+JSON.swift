
extension JSONText {
    /// A page's message exactly as `encode(_:)` with `JSONEncoder` writes it (sorted keys,
    /// slashes unescaped), written by hand: every incident's opening queues one per contact
    /// method, and `JSONEncoder` cost more than the rest of queueing the page.
    package static func encode(_ message: PageMessage) -> String {
        var text = #"{"acknowledge_url":"#
        appendQuoted(message.acknowledgeURL, to: &text)
        if message.drill == true { text += #","drill":true"# }
        text += #","incident_id":\#(message.incidentID),"level":\#(message.level),"person":"#
        appendQuoted(message.person, to: &text)
        text += #","reason":"#
        appendQuoted(message.reason.rawValue, to: &text)
        if let runbook = message.runbook {
            text += #","runbook":{"id":"#
            appendQuoted(runbook.id, to: &text)
            text += #","pre_authorized":\#(runbook.preAuthorized),"title":"#
            appendQuoted(runbook.title, to: &text)
            text += "}"
        }
        text += #","service":"#
        appendQuoted(message.service, to: &text)
        text += #","severity":"#
        appendQuoted(message.severity.description, to: &text)
        text += #","stage":"#
        appendQuoted(message.stage.rawValue, to: &text)
        text += #","step":\#(message.step),"summary":"#
        appendQuoted(message.summary, to: &text)
        return text + "}"
    }
}
