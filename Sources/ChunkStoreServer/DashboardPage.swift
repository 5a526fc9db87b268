/// The dashboard `serve` answers at `/`: one self-contained page (HTML, CSS, and the
/// script of ``DashboardScript``), no CDN, no build step. It reads the JSON API:
/// `/api/v1/devices`, `/api/v1/query` (mean, min and max per bucket) and `/api/v1/last`.
enum DashboardPage {
    /// The whole page.
    static let html = head + body + "<script>\n" + DashboardScript.source + "</script>\n</body>\n</html>\n"

    private static let head = #"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>ChunkStore</title>
        <style>
        :root { --bg: #0f1419; --panel: #171d25; --line: #2a3340; --text: #d8dee9; --muted: #8a94a6;
                --accent: #4fb3ff; --band: rgba(79, 179, 255, 0.18); --stale: #ff6b6b; --ok: #5bd68a; }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--text); font: 15px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; }
        header { display: flex; align-items: baseline; gap: 16px; padding: 14px 24px; border-bottom: 1px solid var(--line); }
        header h1 { margin: 0; font-size: 20px; font-weight: 600; letter-spacing: 0.02em; }
        header .meta { color: var(--muted); font-size: 13px; }
        header .right { margin-left: auto; display: flex; gap: 12px; align-items: center; color: var(--muted); font-size: 13px; }
        main { padding: 18px 24px; display: grid; gap: 18px; }
        .panel { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; }
        .controls { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; }
        select, input, button { background: #0c1016; color: var(--text); border: 1px solid var(--line); border-radius: 6px;
                                padding: 6px 10px; font: inherit; }
        button { cursor: pointer; }
        button.on { border-color: var(--accent); color: var(--accent); }
        .presets { display: flex; gap: 4px; }
        #custom { display: none; gap: 6px; align-items: center; }
        #custom.shown { display: flex; }
        #chart { width: 100%; height: 360px; display: block; }
        #chart .grid { stroke: var(--line); stroke-width: 1; }
        #chart .axis { fill: var(--muted); font-size: 12px; }
        #chart #band { fill: var(--band); stroke: none; }
        #chart #mean { fill: none; stroke: var(--accent); stroke-width: 2; }
        .legend { color: var(--muted); font-size: 13px; margin-top: 6px; display: flex; gap: 18px; }
        .legend i { display: inline-block; width: 18px; height: 10px; margin-right: 6px; vertical-align: middle; }
        table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
        th, td { text-align: right; padding: 6px 10px; border-bottom: 1px solid var(--line); white-space: nowrap; }
        th:first-child, td:first-child, th:nth-child(2), td:nth-child(2) { text-align: left; }
        th { color: var(--muted); font-weight: 500; font-size: 13px; }
        tr.selected td:first-child { color: var(--accent); }
        .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; margin-left: 8px; }
        .badge.stale { background: rgba(255, 107, 107, 0.15); color: var(--stale); }
        .badge.live { background: rgba(91, 214, 138, 0.12); color: var(--ok); }
        #message { color: var(--stale); min-height: 1.4em; }
        #auth { display: none; gap: 8px; align-items: center; }
        #auth.shown { display: flex; }
        h2 { margin: 0 0 10px; font-size: 15px; font-weight: 600; color: var(--muted); }
        </style>
        </head>

        """#

    private static let body = #"""
        <body>
        <header>
          <h1>ChunkStore</h1>
          <span class="meta" id="store"></span>
          <div class="right">
            <span id="updated">not loaded yet</span>
            <label>refresh <select id="refresh">
              <option value="0">off</option><option value="10">10 s</option>
              <option value="30" selected>30 s</option><option value="60">1 min</option>
            </select></label>
          </div>
        </header>
        <main>
          <div id="auth" class="panel">
            <span>This server needs its token.</span>
            <input id="token" type="password" placeholder="token" autocomplete="off">
            <button id="token-save">Use token</button>
          </div>
          <section class="panel">
            <div class="controls">
              <label>device <select id="device"></select></label>
              <label>field <select id="field"></select></label>
              <div class="presets" id="presets">
                <button data-range="3600">1 h</button><button data-range="86400">24 h</button>
                <button data-range="604800">7 d</button><button data-range="2592000">30 d</button>
                <button data-range="custom">custom</button>
              </div>
              <div id="custom">
                <input id="custom-from" type="datetime-local"> to <input id="custom-to" type="datetime-local">
                <button id="custom-apply">show</button>
              </div>
            </div>
            <div id="message"></div>
            <svg id="chart" role="img" aria-label="mean with min-max band"></svg>
            <div class="legend">
              <span><i style="background: var(--accent); height: 2px"></i>mean</span>
              <span><i style="background: var(--band)"></i>min – max</span>
              <span id="bucket"></span>
            </div>
          </section>
          <section class="panel">
            <h2>Latest values <span id="stale-rule"></span></h2>
            <table id="last-table"><thead></thead><tbody></tbody></table>
          </section>
          <section class="panel">
            <h2>Alerts firing <span class="meta">(the store's rules: chunkstore rules set)</span></h2>
            <table id="alerts-table">
              <thead><tr><th>rule</th><th>device</th><th>severity</th><th>since</th><th>value</th></tr></thead>
              <tbody></tbody>
            </table>
          </section>
        </main>

        """#
}
