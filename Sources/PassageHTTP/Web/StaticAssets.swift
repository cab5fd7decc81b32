import HTTPTypes
import Hummingbird
import NIOCore

/// The pages' one stylesheet and one script, compiled into the binary: nothing is read from
/// disk or fetched from another site (field offices have poor connections; the CSP allows
/// only 'self').
enum StaticAssets {
    static func register(on router: Router<APIRequestContext>) {
        router.get("/static/app.css") { _, _ in asset(stylesheet, contentType: "text/css; charset=utf-8") }
        router.get("/static/app.js") { _, _ in asset(script, contentType: "text/javascript; charset=utf-8") }
    }

    static func asset(_ text: String, contentType: String) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = contentType
        // Small and the same for every user: a day in the browser's cache.
        fields[.cacheControl] = "public, max-age=86400"
        return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Colours meet WCAG AA contrast (text #1b1b1b and links #0a4a8f on white, white on #0a4a8f);
    /// logical properties (margin-inline-start …) so Arabic mirrors without a second sheet.
    static let stylesheet = """
        *,*::before,*::after{box-sizing:border-box}
        body{margin:0;font-family:system-ui,"Segoe UI","Noto Sans","Noto Sans Arabic",sans-serif;color:#1b1b1b;background:#fff;line-height:1.5}
        a{color:#0a4a8f}
        a:focus,button:focus,input:focus,select:focus{outline:3px solid #b35c00;outline-offset:2px}
        .skip{position:absolute;inset-inline-start:-999px;top:0;background:#0a4a8f;color:#fff;padding:.5em 1em;z-index:10}
        .skip:focus{inset-inline-start:0}
        .sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
        header.top{display:flex;flex-wrap:wrap;align-items:center;gap:.5em 1.5em;padding:.5em 1em;background:#eef2f7;border-bottom:1px solid #9aa7b5}
        header.top ul{list-style:none;margin:0;padding:0;display:flex;gap:1em;flex-wrap:wrap}
        header.top .brand{font-weight:700;margin:0}
        header.top .who{margin:0;margin-inline-start:auto}
        header.top form{margin:0}
        nav a[aria-current]{font-weight:700;text-decoration-thickness:3px}
        main{padding:1em;max-width:78em}
        h1{font-size:1.6em;margin:.3em 0 .6em}
        h2{font-size:1.3em;margin:1.2em 0 .4em}
        h3{font-size:1.1em}
        table{border-collapse:collapse;margin:.5em 0 1em;font-size:.95em}
        caption{text-align:start;font-weight:700;padding:.3em 0}
        th,td{border:1px solid #9aa7b5;padding:.25em .5em;text-align:start;vertical-align:top}
        th{background:#eef2f7}
        td.number{text-align:end;font-variant-numeric:tabular-nums}
        .suppressed{font-style:italic;color:#5c3d00;background:#fff4e0}
        .overdue{color:#8a1010;font-weight:700}
        .error{color:#8a1010;font-weight:700}
        .notice{border-inline-start:4px solid #0a4a8f;padding:.3em .8em;background:#eef2f7}
        form.inline{display:inline-flex;flex-wrap:wrap;gap:.3em;align-items:center;margin:.1em 0}
        fieldset{border:1px solid #9aa7b5;margin:.5em 0;padding:.5em 1em}
        legend{font-weight:700}
        .filters{display:flex;flex-wrap:wrap;gap:.5em 1.5em;align-items:flex-end}
        .filters p{margin:.2em 0}
        label{margin-inline-end:.3em}
        button{font:inherit;padding:.2em .8em;border:1px solid #0a4a8f;background:#0a4a8f;color:#fff;border-radius:3px;cursor:pointer}
        button.secondary{background:#fff;color:#0a4a8f}
        input,select{font:inherit;padding:.15em .3em;border:1px solid #5f6b78;border-radius:3px;background:#fff;color:#1b1b1b}
        dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}
        dl.facts dt{font-weight:700}
        dl.facts dd{margin:0}
        .chart{max-width:100%;height:auto}
        .chart .bar{fill:#0a4a8f}
        .chart .label,.chart .value{fill:#1b1b1b;font-size:12px}
        .chart .suppressed-mark{fill:#5c3d00;font-size:12px;font-style:italic}
        .legend{display:flex;gap:1.5em;flex-wrap:wrap;padding:0;list-style:none}
        .swatch{display:inline-block;width:1em;height:1em;vertical-align:middle;margin-inline-end:.3em;border:1px solid #1b1b1b}
        .swatch.bar{background:#0a4a8f}
        .swatch.suppressed{background:#fff4e0}
        .downloads a{margin-inline-end:1em}
        code{font-family:ui-monospace,monospace}
        ul.basis{margin:0;padding-inline-start:1.2em}
        """

    /// The one behaviour the pages add: in a "complete" form, the reason list is needed only
    /// for an unsuccessful outcome. Without script the server still says which is wrong.
    static let script = """
        "use strict";
        document.addEventListener("DOMContentLoaded", function () {
          document.querySelectorAll("select[name=outcome]").forEach(function (outcome) {
            var reason = outcome.form && outcome.form.querySelector("select[name=reason]");
            if (!reason) { return; }
            var update = function () {
              var unsuccessful = outcome.value === "unsuccessful";
              reason.disabled = !unsuccessful;
              reason.required = unsuccessful;
            };
            outcome.addEventListener("change", update);
            update();
          });
        });
        """
}
