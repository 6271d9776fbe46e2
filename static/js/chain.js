// 产业链图谱: one lead's chain as an ECharts graph — upstream on the left, the lead in the middle,
// downstream on the right. Data and every label come from the page (json_script "chain-data"), so
// this file holds no user-facing text. The table under the chart carries the same facts.
(function () {
  "use strict";

  const container = document.getElementById("chain-chart");
  const source = document.getElementById("chain-data");
  if (!container || !source || typeof echarts === "undefined") {
    return;
  }
  const data = JSON.parse(source.textContent);
  const labels = data.labels;

  const COLORS = { blocked: "#d7263d", yes: "#2e9e5b", partly: "#f0b429", unknown: "#a0a7b1" };
  const CATEGORY = { blocked: 0, yes: 1, partly: 2, unknown: 3 };
  // On a phone the picture keeps one scale inside a box that scrolls sideways (the finger pans it, the
  // page stays still): nodes of one size family, labels that wrap instead of running into each other.
  const phone = window.matchMedia("(max-width: 767.98px)").matches;
  const COLUMN_GAP = phone ? 230 : 300;
  const ROW_GAP = 58;
  const LABEL_WIDTH = phone ? 140 : 170;
  const MARGIN = LABEL_WIDTH + 20; // room for the outermost labels
  const PAD_TOP = 30;
  const PAD_BOTTOM = 50;

  function category(node) {
    if (node.blocked) {
      return CATEGORY.blocked;
    }
    if (node.status === "yes") {
      return CATEGORY.yes;
    }
    return node.status === "partly" ? CATEGORY.partly : CATEGORY.unknown;
  }

  function symbol(node) {
    if (node.abroad) {
      return "triangle";
    }
    return node.cross_region ? "diamond" : "circle";
  }

  // Rich-text labels treat {a|b} as markup: keep names literal.
  function plain(text) {
    return String(text || "").replace(/[{}|]/g, " ");
  }

  // A phone's labels are wrapped here, in lines of about `units` Chinese characters, at a space where a
  // Latin name has one (ECharts' own "break" overflow runs the place into the name's last line).
  function lines(text, units) {
    const out = [];
    let line = "";
    let width = 0;
    Array.from(text).forEach(function (ch) {
      const w = /[\u2e80-\uffff]/.test(ch) ? 1 : 0.55;
      if (width + w > units && line) {
        const space = line.lastIndexOf(" ");
        const rest = space > 0 ? line.slice(space + 1) : "";
        out.push(space > 0 ? line.slice(0, space) : line);
        line = rest;
        width = Array.from(rest).length * 0.55;
      }
      line += ch;
      width += w;
    });
    out.push(line);
    return out;
  }

  function nameLabel(name, isLead) {
    const text = plain(name);
    if (!phone) {
      return isLead ? "{lead|" + text + "}" : text;
    }
    return lines(text, isLead ? 10 : 11).map(function (line) {
      return isLead ? "{lead|" + line + "}" : line;
    }).join("\n");
  }

  function placeTag(node) {
    if (node.abroad) {
      return "{abroad|" + plain(node.place) + "}";
    }
    return node.cross_region ? "{far|" + plain(node.place) + "}" : "{near|" + plain(node.place) + "}";
  }

  // Columns of at most `perColumn` nodes, moving outwards from the lead; each column centred on it.
  function place(nodes, side) {
    const perColumn = Math.max(8, Math.ceil(Math.sqrt(nodes.length * 3)));
    return nodes.map(function (node, index) {
      const column = Math.floor(index / perColumn);
      const inColumn = Math.min(perColumn, nodes.length - column * perColumn);
      const row = index % perColumn;
      return {
        node: node,
        x: side * COLUMN_GAP * (column + 1),
        y: (row - (inColumn - 1) / 2) * ROW_GAP,
      };
    });
  }

  function graphNode(node, id, x, y, position, isLead) {
    const weak = node.weak_link;
    return {
      id: id,
      name: plain(node.name),
      x: x,
      y: y,
      category: category(node),
      symbol: isLead ? "roundRect" : symbol(node),
      symbolSize: isLead ? (phone ? [34, 26] : [64, 40]) : (phone ? 22 : 26),
      itemStyle: weak
        ? { borderColor: "#212529", borderWidth: 4, borderType: "dashed" }
        : { borderColor: "#ffffff", borderWidth: isLead ? 3 : 1.5 },
      label: {
        show: true,
        position: position,
        formatter: nameLabel(node.name, isLead) + "\n" + placeTag(node),
      },
      url: node.url || null,
      raw: node,
    };
  }

  const nodes = [graphNode(data.lead, "lead", 0, 0, "bottom", true)];
  const links = [];
  place(data.upstream, -1).forEach(function (item) {
    const id = "u" + item.node.link_id;
    nodes.push(graphNode(item.node, id, item.x, item.y, "left", false));
    links.push(edge(id, "lead", item.node));
  });
  place(data.downstream, 1).forEach(function (item) {
    const id = "d" + item.node.link_id;
    nodes.push(graphNode(item.node, id, item.x, item.y, "right", false));
    links.push(edge("lead", id, item.node));
  });

  function edge(from, to, node) {
    return {
      source: from,
      target: to,
      raw: node,
      lineStyle: {
        color: node.blocked ? COLORS.blocked : "#9aa3ad",
        width: node.weak_link ? 3 : 1.5,
        type: node.weak_link ? "dashed" : "solid",
        curveness: 0.08,
      },
    };
  }

  function statusText(node) {
    const status = labels.status[node.status || ""] || labels.status[""];
    return node.status_date ? status + "（" + node.status_date + "）" : status;
  }

  function tooltip(params) {
    const node = params.data.raw;
    if (!node) {
      return "";
    }
    const lines = [node.name];
    const relation = node.direction ? labels[node.direction] : labels.lead;
    lines.push(node.place + " · " + relation);
    lines.push(statusText(node));
    if (node.product) {
      lines.push(node.product);
    }
    const marks = [];
    if (node.weak_link) {
      marks.push(labels.weak_link);
    }
    if (node.abroad) {
      marks.push(labels.abroad);
    } else if (node.cross_region) {
      marks.push(labels.cross_region);
    }
    if (marks.length) {
      lines.push(marks.join(" · "));
    }
    if (node.reasons && node.reasons.length) {
      lines.push(labels.categories[CATEGORY.blocked] + "：" + node.reasons.join("；"));
    }
    if (params.dataType === "node") {
      lines.push(node.full_view ? labels.open : labels.limited);
    }
    return lines.map(plain).join("\n");
  }

  // The box around the picture: a desk's is the card; a phone's is the picture at scale 1, each side padded
  // so a short chain still fills the width and the lead starts in view.
  const box = { left: MARGIN, right: MARGIN, top: PAD_TOP, bottom: PAD_BOTTOM };
  const pan = container.parentElement;
  if (phone) {
    const xs = nodes.map(function (n) { return n.x; });
    const ys = nodes.map(function (n) { return n.y; });
    const width = Math.max(Math.max.apply(null, xs) - Math.min.apply(null, xs), 2);
    const height = Math.max(Math.max.apply(null, ys) - Math.min.apply(null, ys), 2);
    const spareX = Math.max(0, pan.clientWidth - (width + 2 * MARGIN));
    const spareY = Math.max(0, 260 - (height + PAD_TOP + PAD_BOTTOM));
    box.left += spareX / 2;
    box.right += spareX / 2;
    box.top += spareY / 2;
    box.bottom += spareY / 2;
    container.style.width = width + box.left + box.right + "px";
    container.style.height = height + box.top + box.bottom + "px";
    pan.tabIndex = 0; // a box that scrolls is reached by the keyboard too
  }

  const chart = echarts.init(container, null, { renderer: "canvas" });
  chart.setOption({
    animationDuration: 400,
    // Drawn on the canvas, not as HTML: nothing for the CSP to block, nothing to escape.
    tooltip: { renderMode: "richText", confine: true, formatter: tooltip },
    series: [
      {
        type: "graph",
        layout: "none",
        roam: !phone,
        left: box.left,
        right: box.right,
        top: box.top,
        bottom: box.bottom,
        categories: [
          { name: labels.categories[0], itemStyle: { color: COLORS.blocked } },
          { name: labels.categories[1], itemStyle: { color: COLORS.yes } },
          { name: labels.categories[2], itemStyle: { color: COLORS.partly } },
          { name: labels.categories[3], itemStyle: { color: COLORS.unknown } },
        ],
        edgeSymbol: ["none", "arrow"],
        edgeSymbolSize: 7,
        label: {
          fontSize: 12,
          color: "#1f2328",
          width: LABEL_WIDTH,
          overflow: "truncate",
          lineHeight: 16,
          rich: {
            lead: { fontSize: 14, fontWeight: "bold", color: "#1f2328" },
            near: { color: "#6c757d", fontSize: 11 },
            far: { color: "#0b5ed7", fontSize: 11, fontWeight: "bold" },
            abroad: { color: "#6f42c1", fontSize: 11, fontWeight: "bold" },
          },
        },
        emphasis: { focus: "adjacency", lineStyle: { width: 3 } },
        data: nodes,
        links: links,
      },
    ],
  });

  if (phone) {
    const lead = nodes[0];
    const leadX = box.left + lead.x - Math.min.apply(null, nodes.map(function (n) { return n.x; }));
    pan.scrollLeft = Math.max(0, leadX - pan.clientWidth / 2);
  }

  chart.on("click", { dataType: "node" }, function (params) {
    if (params.data.url) {
      window.location.assign(params.data.url);
    }
  });
  window.addEventListener("resize", function () {
    chart.resize();
  });
})();
