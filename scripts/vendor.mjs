// Copy the browser assets of node_modules into static/vendor/ (ignored by git).
// Source maps are copied too: the manifest storage of collectstatic fails on a missing .map.
import { cpSync, mkdirSync, rmSync, existsSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const vendor = join(root, "static", "vendor");
const copies = [
  ["bootstrap/dist/css", "bootstrap/css"],
  ["bootstrap/dist/js", "bootstrap/js"],
  ["bootstrap-icons/font/bootstrap-icons.min.css", "bootstrap-icons/font/bootstrap-icons.min.css"],
  ["bootstrap-icons/font/fonts", "bootstrap-icons/font/fonts"],
  ["echarts/dist/echarts.min.js", "echarts/echarts.min.js"],
];

rmSync(vendor, { recursive: true, force: true });
for (const [from, to] of copies) {
  const source = join(root, "node_modules", from);
  if (!existsSync(source)) {
    console.error(`missing ${source}: run npm ci first`);
    process.exit(1);
  }
  const target = join(vendor, to);
  mkdirSync(join(target, ".."), { recursive: true });
  cpSync(source, target, { recursive: true });
}
console.log(`vendor assets copied into ${vendor}`);
