import ArgumentParser
import TocsinManual

/// `tocsin manual`: the man page tocsin(1), for `make completions`; hidden from help.
struct Manual: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the tocsin(1) man page, written from these commands' own definitions.",
        shouldDisplay: false
    )

    func run() {
        print(ManualPage(Tocsin.self, section: 1, extra: [
            ("Environment", """
                TOCSIN_URL: tocsind's address (default http://127.0.0.1:8080), unless --server is given.
                TOCSIN_TOKEN: your bearer token, unless --token is given.
                TOCSIN_DATABASE_PASSWORD: the PostgreSQL password for verify --database postgres://….
                """),
            ("See also", "tocsind(8). The documentation by topic is in the docs/ folder of Tocsin's repository."),
        ]).text, terminator: "")
    }
}
