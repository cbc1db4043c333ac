import Foundation
import TocsinCore

/// Every page the incident sent, to whom and by which channel, and where its delivery stands.
struct PagesView {
    var trail: PageTrail

    var html: HTML {
        guard !trail.pages.isEmpty else {
            return "<section aria-labelledby=\"pages-heading\"><h2 id=\"pages-heading\">Pages</h2><p class=\"quiet\">Nobody has been paged.</p></section>"
        }
        let rows = trail.pages.map { page -> HTML in
            let attempts: HTML = page.attempts == 0 ? .empty : " after \(page.attempts) attempt\(page.attempts == 1 ? "" : "s")"
            let error: HTML = page.lastError.map { "<br><span class=\"quiet\">\($0)</span>" } ?? .empty
            return """
                <tr><td>\(page.person)</td><td>\(page.channel)</td><td>\(page.purpose)</td>
                <td><span class="delivery \(page.state.rawValue)">\(page.state.rawValue)</span>\(attempts)\(error)</td>
                <td><time datetime="\(UTCTime.string(page.changedAt))">\(Moments.text(page.changedAt))</time></td></tr>
                """
        }
        return """
            <section aria-labelledby="pages-heading"><h2 id="pages-heading">Pages</h2>
            <table class="pages"><thead><tr><th scope="col">Person</th><th scope="col">Channel</th><th scope="col">For</th>
            <th scope="col">Delivery</th><th scope="col">Last change</th></tr></thead><tbody>\(rows)</tbody></table></section>
            """
    }
}
