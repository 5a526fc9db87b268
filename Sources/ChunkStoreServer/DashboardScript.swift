/// The dashboard's script: loads the device list, draws the mean of one field with its
/// min-max band for the chosen range (bucket width from the range: about 120 to 240
/// buckets), and a table of every device's latest values that flags devices silent for
/// over five minutes. Refreshes itself; keeps the token (from `#token=T` or the form) in
/// the browser's local storage.
enum DashboardScript {
    static let source = #"""
        "use strict";
        const $ = (id) => document.getElementById(id);
        const STALE_MS = 5 * 60 * 1000;
        const WIDTHS = [[5, "5s"], [10, "10s"], [30, "30s"], [60, "1m"], [300, "5m"], [900, "15m"], [1800, "30m"],
                        [3600, "1h"], [10800, "3h"], [21600, "6h"], [43200, "12h"], [86400, "1d"]];
        const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080].map((minutes) => minutes * 60000);
        const state = { devices: [], device: null, field: null, range: 3600, custom: null, timer: null };
        let authToken = null;

        function loadToken() {
          const match = location.hash.match(/token=([^&]+)/);
          if (match) {
            authToken = decodeURIComponent(match[1]);
            try { localStorage.setItem("chunkstore-token", authToken); } catch (e) {}
            history.replaceState(null, "", location.pathname);
          } else {
            try { authToken = localStorage.getItem("chunkstore-token"); } catch (e) {}
          }
        }

        async function api(path) {
          const headers = authToken ? { Authorization: "Token " + authToken } : {};
          const response = await fetch(path, { headers });
          if (response.status === 401) {
            $("auth").classList.add("shown");
            throw new Error("This server needs its token.");
          }
          const body = await response.json();
          if (!response.ok) throw new Error(body.message || response.statusText);
          return body;
        }

        function option(select, value) {
          const element = document.createElement("option");
          element.value = element.textContent = value;
          select.appendChild(element);
        }

        async function loadDevices() {
          // Alert series (_alerts/RULE/DEVICE) have their own panel, not a place among the meters.
          state.devices = (await api("/api/v1/devices")).filter((d) => !d.device.startsWith("_alerts/"));
          const select = $("device");
          select.innerHTML = "";
          for (const d of state.devices) option(select, d.device);
          if (!state.devices.some((d) => d.device === state.device)) state.device = state.devices.length ? state.devices[0].device : null;
          select.value = state.device || "";
          fillFields();
        }

        function fillFields() {
          const info = state.devices.find((d) => d.device === state.device);
          const numeric = info ? info.fields.filter((f) => f.type !== "bool").map((f) => f.name) : [];
          const select = $("field");
          select.innerHTML = "";
          for (const name of numeric) option(select, name);
          if (!numeric.includes(state.field)) state.field = numeric.includes("power_w") ? "power_w" : (numeric[0] || null);
          select.value = state.field || "";
        }

        function currentWindow() {
          if (state.custom) return state.custom;
          const to = Date.now();
          return { from: to - state.range * 1000, to };
        }

        function bucketFor(seconds) {
          for (const width of WIDTHS) if (width[0] >= seconds / 240) return width;
          return WIDTHS[WIDTHS.length - 1];
        }

        async function loadChart() {
          const { from, to } = currentWindow();
          const [seconds, name] = bucketFor((to - from) / 1000);
          if (!state.device || !state.field) { drawChart([], from, to, seconds * 1000); return; }
          const query = new URLSearchParams({ device: state.device, field: state.field, from: new Date(from).toISOString(),
                                              to: new Date(to).toISOString(), agg: name, fn: "mean,min,max", epoch: "ms" });
          const rows = await api("/api/v1/query?" + query);
          $("bucket").textContent = "buckets of " + name + ", " + rows.length + " with data";
          drawChart(rows, from, to, seconds * 1000);
        }

        function niceStep(span, count) {
          const raw = span / count, power = Math.pow(10, Math.floor(Math.log10(raw)));
          for (const m of [1, 2, 2.5, 5, 10]) if (m * power >= raw) return m * power;
          return 10 * power;
        }

        function fmt(value) {
          if (value === null || value === undefined) return "–";
          if (typeof value === "boolean") return value ? "true" : "false";
          if (Number.isInteger(value)) return value.toLocaleString("en-US");
          return Number(value.toPrecision(6)).toLocaleString("en-US", { maximumFractionDigits: 3 });
        }

        function timeLabel(ms, span) {
          const d = new Date(ms);
          if (span <= 36 * 3600 * 1000) return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
          return d.toLocaleDateString([], { month: "short", day: "numeric" });
        }

        function drawChart(rows, from, to, bucketMs) {
          const svg = $("chart"), f = state.field;
          const W = svg.clientWidth || 1000, H = svg.clientHeight || 360;
          const m = { l: 70, r: 16, t: 12, b: 28 }, w = W - m.l - m.r, h = H - m.t - m.b;
          const points = rows.filter((r) => r[f + "_mean"] !== null && r[f + "_mean"] !== undefined).map((r) => ({
            t: r.time, mean: r[f + "_mean"], min: r[f + "_min"], max: r[f + "_max"] }));
          let low = Math.min(...points.map((p) => p.min)), high = Math.max(...points.map((p) => p.max));
          if (!points.length) { low = 0; high = 1; }
          if (low === high) { low -= 1; high += 1; }
          const pad = (high - low) * 0.06; low -= pad; high += pad;
          const x = (t) => m.l + ((t + bucketMs / 2 - from) / (to - from)) * w;
          const y = (v) => m.t + (1 - (v - low) / (high - low)) * h;
          let grid = "";
          const step = niceStep(high - low, 5);
          for (let v = Math.ceil(low / step) * step; v <= high; v += step) {
            grid += `<line class="grid" x1="${m.l}" x2="${W - m.r}" y1="${y(v)}" y2="${y(v)}"/>`;
            grid += `<text class="axis" x="${m.l - 8}" y="${y(v) + 4}" text-anchor="end">${fmt(Number(v.toPrecision(6)))}</text>`;
          }
          const tStep = TIME_STEPS.find((ms) => ms >= (to - from) / 7) || TIME_STEPS[TIME_STEPS.length - 1];
          for (let t = Math.ceil(from / tStep) * tStep; t <= to; t += tStep) {
            const tx = m.l + ((t - from) / (to - from)) * w;
            if (tx > W - m.r - 30) continue;  // a label there would be cut off
            grid += `<line class="grid" x1="${tx}" x2="${tx}" y1="${m.t}" y2="${H - m.b}" stroke-dasharray="2 4"/>`;
            grid += `<text class="axis" x="${tx}" y="${H - 8}" text-anchor="middle">${timeLabel(t, to - from)}</text>`;
          }
          // Segments: a gap of more than one empty bucket breaks the line and the band.
          const segments = [];
          for (const p of points) {
            const last = segments.length ? segments[segments.length - 1] : null;
            if (last && p.t - last[last.length - 1].t <= bucketMs * 2) last.push(p); else segments.push([p]);
          }
          let mean = "", band = "";
          for (const s of segments) {
            mean += s.map((p, i) => (i ? "L" : "M") + x(p.t).toFixed(1) + "," + y(p.mean).toFixed(1)).join("");
            band += s.map((p, i) => (i ? "L" : "M") + x(p.t).toFixed(1) + "," + y(p.max).toFixed(1)).join("");
            band += s.slice().reverse().map((p) => "L" + x(p.t).toFixed(1) + "," + y(p.min).toFixed(1)).join("") + "Z";
          }
          svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
          svg.innerHTML = grid + `<path id="band" d="${band}"/><path id="mean" d="${mean}"/>`;
          svg.dataset.points = points.length;
          $("message").textContent = points.length ? "" : "No readings of " + (f || "any field") + " in this range.";
        }

        async function loadLast() {
          const rows = (await api("/api/v1/last?epoch=ms")).filter((r) => !r.device.startsWith("_alerts/"));
          const fields = [];
          for (const r of rows) for (const k of Object.keys(r)) if (k !== "device" && k !== "time" && r[k] != null && !fields.includes(k)) fields.push(k);
          $("last-table").tHead.innerHTML = "<tr><th>device</th><th>last reading</th>" + fields.map((f) => `<th>${f}</th>`).join("") + "</tr>";
          const body = $("last-table").tBodies[0];
          body.innerHTML = "";
          const now = Date.now();
          for (const r of rows) {
            const age = now - r.time, stale = age > STALE_MS;
            const tr = document.createElement("tr");
            tr.dataset.device = r.device;
            tr.dataset.stale = stale ? "1" : "0";
            if (r.device === state.device) tr.className = "selected";
            const badge = stale ? '<span class="badge stale">stale</span>' : '<span class="badge live">live</span>';
            tr.innerHTML = `<td></td><td>${ago(age)}${badge}</td>` + fields.map((f) => `<td>${fmt(r[f])}</td>`).join("");
            tr.cells[0].textContent = r.device;
            tr.onclick = () => { state.device = r.device; $("device").value = r.device; fillFields(); refresh(); };
            body.appendChild(tr);
          }
        }

        async function loadAlerts() {
          const events = await api("/api/v1/alerts?active=true&epoch=ms");
          const body = $("alerts-table").tBodies[0];
          body.innerHTML = "";
          if (!events.length) {
            body.innerHTML = '<tr class="none"><td colspan="5">none firing</td></tr>';
            return;
          }
          const now = Date.now();
          for (const e of events) {
            const tr = document.createElement("tr");
            tr.dataset.rule = e.rule;
            tr.dataset.device = e.device;
            tr.innerHTML = `<td></td><td></td><td><span class="badge ${e.severity === "info" ? "live" : "stale"}"></span></td>` +
              `<td>${ago(now - e.time)}</td><td>${fmt(e.value)}</td>`;
            tr.cells[0].textContent = e.rule;
            tr.cells[1].textContent = e.device;
            tr.cells[2].firstChild.textContent = e.severity;
            body.appendChild(tr);
          }
        }

        function ago(ms) {
          const s = Math.max(0, Math.round(ms / 1000));
          if (s < 90) return s + " s ago";
          if (s < 5400) return Math.round(s / 60) + " min ago";
          if (s < 129600) return Math.round(s / 3600) + " h ago";
          return Math.round(s / 86400) + " d ago";
        }

        async function refresh() {
          try {
            await loadDevices();
            await Promise.all([loadChart(), loadLast(), loadAlerts()]);
            $("updated").textContent = "updated " + new Date().toLocaleTimeString();
            document.body.dataset.ready = "1";
          } catch (error) {
            $("message").textContent = error.message;
          }
        }

        function schedule() {
          if (state.timer) clearInterval(state.timer);
          const seconds = Number($("refresh").value);
          try { localStorage.setItem("chunkstore-refresh", String(seconds)); } catch (e) {}
          state.timer = seconds > 0 ? setInterval(refresh, seconds * 1000) : null;
        }

        function localInput(ms) {
          const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60000);
          return d.toISOString().slice(0, 16);
        }

        function choosePreset(button) {
          for (const b of $("presets").children) b.classList.toggle("on", b === button);
          if (button.dataset.range === "custom") {
            const { from, to } = currentWindow();
            $("custom-from").value = localInput(from);
            $("custom-to").value = localInput(to);
            $("custom").classList.add("shown");
            return;
          }
          $("custom").classList.remove("shown");
          state.custom = null;
          state.range = Number(button.dataset.range);
          refresh();
        }

        async function start() {
          loadToken();
          $("stale-rule").textContent = "(stale: no reading for 5 min)";
          for (const b of $("presets").children) b.onclick = () => choosePreset(b);
          $("presets").children[0].classList.add("on");
          $("device").onchange = () => { state.device = $("device").value; fillFields(); refresh(); };
          $("field").onchange = () => { state.field = $("field").value; loadChart().catch((e) => { $("message").textContent = e.message; }); };
          $("custom-apply").onclick = () => {
            const from = new Date($("custom-from").value).getTime(), to = new Date($("custom-to").value).getTime();
            if (!(from < to)) { $("message").textContent = "The custom range must start before it ends."; return; }
            state.custom = { from, to };
            refresh();
          };
          $("token-save").onclick = () => {
            authToken = $("token").value;
            try { localStorage.setItem("chunkstore-token", authToken); } catch (e) {}
            $("auth").classList.remove("shown");
            start();
          };
          try { const saved = localStorage.getItem("chunkstore-refresh"); if (saved !== null) $("refresh").value = saved; } catch (e) {}
          $("refresh").onchange = schedule;
          window.onresize = () => loadChart().catch(() => {});
          try {
            const health = await api("/health");
            $("store").textContent = health.store + " · chunkstore " + health.version;
          } catch (e) {}
          await refresh();
          schedule();
        }

        start();

        """#
}
