// Checks Rampart's HTML reports as a reader prints them, in headless Chromium:
//
// - laid out for print on A4 and on US Letter (the report's @page margins), every table lies
//   within the page's width and no element scrolls sideways (a scroll box prints cut off);
// - in each engagement-timeline chart, no two marks of a row overlap.
//
// Usage: node print.mjs REPORT.html... [--pdf DIR]   (exit status 1 on any failure)
// Chromium: $CHROMIUM, else /usr/bin/chromium.

import { chromium } from "playwright-core";
import path from "node:path";
import fs from "node:fs";

// Page widths less the report's @page margins (12 mm each side), in CSS pixels (96 per inch).
const MM = 96 / 25.4;
const PAGES = { A4: (210 - 24) * MM, Letter: (215.9 - 24) * MM };

const args = process.argv.slice(2);
const pdfAt = args.indexOf("--pdf");
const pdfDir = pdfAt >= 0 ? args[pdfAt + 1] : null;
const reports = pdfAt >= 0 ? args.filter((_, i) => i !== pdfAt && i !== pdfAt + 1) : args;
if (reports.length === 0) {
  console.error("usage: node print.mjs REPORT.html... [--pdf DIR]");
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
let failures = 0;
try {
  for (const report of reports) {
    const url = "file://" + path.resolve(report);
    for (const [format, width] of Object.entries(PAGES)) {
      const page = await browser.newPage({ viewport: { width: Math.floor(width), height: 1100 } });
      await page.goto(url);
      await page.emulateMedia({ media: "print" });
      const problems = await page.evaluate((pageWidth) => {
        const out = [];
        const describe = (el) => {
          const head = el.querySelector("th");
          const section = el.closest("section");
          return `${el.tagName.toLowerCase()} in section "${section ? section.id : "?"}"` +
            (head ? ` (first heading "${head.textContent.trim()}")` : "");
        };
        for (const t of document.querySelectorAll("table")) {
          const r = t.getBoundingClientRect();
          if (r.left < -0.5 || r.right > pageWidth + 0.5) {
            out.push(`${describe(t)} spans ${r.left.toFixed(0)}–${r.right.toFixed(0)} px, page ${pageWidth.toFixed(0)} px`);
          }
        }
        for (const el of document.querySelectorAll("body *")) {
          const s = getComputedStyle(el);
          const scrolls = ["auto", "scroll"].includes(s.overflowX);
          if (scrolls && el.scrollWidth > el.clientWidth + 1) {
            out.push(`${describe(el)} scrolls: ${el.scrollWidth} px in a ${el.clientWidth} px box`);
          }
        }
        // Timeline marks: within a chart and a row, no two boxes may meet.
        for (const svg of document.querySelectorAll("svg")) {
          const rows = new Map();
          for (const g of svg.querySelectorAll("g.tl-mark")) {
            const key = g.dataset.row;
            if (!rows.has(key)) rows.set(key, []);
            rows.get(key).push(g.getBoundingClientRect());
          }
          for (const [row, boxes] of rows) {
            for (let i = 0; i < boxes.length; i++) {
              for (let j = i + 1; j < boxes.length; j++) {
                const a = boxes[i], b = boxes[j];
                const apart = a.right <= b.left || b.right <= a.left ||
                  a.bottom <= b.top || b.bottom <= a.top;
                if (!apart) {
                  const title = svg.querySelector("title");
                  out.push(`timeline "${title ? title.textContent : "?"}", row ${row}: marks ${i} and ${j} overlap`);
                }
              }
            }
          }
        }
        return out;
      }, width);
      if (pdfDir) {
        fs.mkdirSync(pdfDir, { recursive: true });
        const name = path.basename(path.dirname(path.resolve(report))) + `-${format}.pdf`;
        await page.pdf({ path: path.join(pdfDir, name), format, preferCSSPageSize: false });
      }
      const marks = await page.locator("g.tl-mark").count();
      const tables = await page.locator("table").count();
      for (const p of problems) {
        console.error(`FAIL ${report} (${format}): ${p}`);
      }
      failures += problems.length;
      console.log(`${problems.length === 0 ? "ok  " : "FAIL"} ${report} (${format}): ${tables} tables, ${marks} timeline marks`);
      await page.close();
    }
  }
} finally {
  await browser.close();
}
process.exit(failures === 0 ? 0 : 1);
