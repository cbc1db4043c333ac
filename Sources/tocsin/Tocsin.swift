import ArgumentParser

/// The command-line client: acknowledge, list, export, check config, receive pages locally.
@main
struct Tocsin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tocsin",
        abstract: "Work with Tocsin incidents from the terminal.",
        discussion: """
            Commands that talk to tocsind read its address from --server or TOCSIN_URL \
            (default http://127.0.0.1:8080) and your bearer token from --token or TOCSIN_TOKEN.
            """,
        subcommands: [
            Ack.self, Incidents.self, Status.self, Advance.self, Assess.self, StopTradingCommand.self, Approve.self, Plan.self,
            Op.self, Restored.self, ResumeTrading.self, Update.self, Note.self, Reconcile.self, SignOff.self, Handover.self,
            Checklist.self, Export.self, Report.self, DrillCommand.self, Verify.self, Archive.self, Backup.self, Restore.self, Check.self, OnCallCommand.self, RosterCommand.self, Listen.self, Manual.self,
            Regulatory.self,
        ]
    )
}
