/* The offer map: markers (or the server's grid cells) from the GeoJSON view, aggregated where
   they crowd, a list that follows the map's view, "near me"; an offer's small location map;
   the print button.
   Everything comes from data-* attributes (no inline script, CSP script-src 'self').
   Without this file the pages show the server-rendered list: the map is an enhancement. */
(function () {
  "use strict";

  var CLUSTER_PIXELS = 40; // markers closer than this on screen merge into one numbered circle
  var CLUSTER_UNTIL_ZOOM = 16; // from this zoom on, every marker is drawn on its own
  var LIST_LIMIT = 50; // list cards drawn at once; more → "zoom in"

  function format(template, values) {
    return String(template || "").replace(/%\((\w+)\)s/g, function (_m, key) {
      return values[key] === undefined ? "" : String(values[key]);
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function addTiles(map, data) {
    if (!data.tileUrl) return; // offline or switched off: markers and list work without tiles
    L.tileLayer(data.tileUrl, {
      attribution: data.tileAttribution || "",
      maxZoom: 19,
      referrerPolicy: "strict-origin", // tile servers (OpenStreetMap) require a referrer
    }).addTo(map);
  }

  function baseMap(canvas, data, options) {
    var rtl = document.documentElement.dir === "rtl";
    var map = L.map(canvas, Object.assign({ zoomControl: false }, options || {}));
    L.control
      .zoom({
        position: rtl ? "topright" : "topleft",
        zoomInTitle: data.tZoomIn || "+",
        zoomOutTitle: data.tZoomOut || "-",
      })
      .addTo(map);
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    if (rtl) map.attributionControl.setPosition("bottomleft");
    addTiles(map, data);
    return map;
  }

  function markerElement(colour, iconUrl, label) {
    var node = el("span", "map-marker");
    node.style.backgroundColor = colour || "#0b5394"; // CSSOM, allowed by the CSP
    if (iconUrl) {
      var img = el("img");
      img.src = iconUrl;
      img.alt = "";
      node.appendChild(img);
    }
    if (label) node.appendChild(el("span", "visually-hidden", label));
    return node;
  }

  /* ---------------------------------------------------------------- the map page */

  /* The map asks the server for what its view needs (offers.geojson?zoom=…&bbox=…): every
     offer as a marker where they are few (then it groups crowded markers itself, and moves
     and zooms within what it has without asking again), or grid cells with counts where
     they are many (then the list beside the map comes from the server too, for the view). */

  function OfferMap(root) {
    this.root = root;
    this.data = root.dataset;
    this.lang = this.data.lang || document.documentElement.lang || "de";
    this.features = []; // single offers: {latlng, p}
    this.cells = []; // grid cells from the server: {latlng, count, bounds}
    this.aggregated = false;
    this.loaded = null; // {bounds (null: everything), zoom} of the last answer
    this.asked = 0; // number of the latest request: older answers are dropped
    this.askedList = 0;
    this.position = null;
    this.categories = {};
    var self = this;
    root.querySelectorAll(".legend [data-category]").forEach(function (item) {
      var label = item.querySelector("[data-label]");
      self.categories[item.dataset.category] = {
        colour: item.dataset.colour,
        icon: item.dataset.icon,
        label: label ? label.textContent.trim() : item.dataset.category,
      };
    });
    var section = root.parentNode.querySelector(".list-section") || document;
    this.serverList = section.querySelector("[data-server-list]");
    this.list = section.querySelector("[data-map-list]");
    this.listCount = section.querySelector("[data-map-list-count]");
    this.status = root.querySelector("[data-map-status]");

    root.hidden = false;
    this.map = baseMap(root.querySelector("[data-map-canvas]"), this.data);
    this.map.setView([parseFloat(this.data.lat), parseFloat(this.data.lon)], parseInt(this.data.zoom, 10));
    this.layer = L.layerGroup().addTo(this.map);
    this.map.on("moveend", this.moved, this);
    this.setUpNearMe();
    this.load(null, true);
  }

  OfferMap.prototype.say = function (text) {
    if (this.status) this.status.textContent = text || "";
  };

  OfferMap.prototype.url = function (extra) {
    var url = this.data.geojsonUrl;
    Object.keys(extra).forEach(function (key) {
      url += (url.indexOf("?") < 0 ? "?" : "&") + key + "=" + encodeURIComponent(extra[key]);
    });
    return url;
  };

  OfferMap.prototype.get = function (extra) {
    return fetch(this.url(extra), { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      });
  };

  /* Bounds rounded outwards to a grid of about a tile, so that nearby views ask the same
     question (the browser and the server answer it from their caches). */
  function snapped(bounds, zoom) {
    var step = 360 / Math.pow(2, Math.max(zoom, 1)) / 2;
    function down(v) { return (Math.floor(v / step) * step).toFixed(6); }
    function up(v) { return (Math.ceil(v / step) * step).toFixed(6); }
    var west = Math.max(-180, bounds.getWest()), east = Math.min(180, bounds.getEast());
    var south = Math.max(-85, bounds.getSouth()), north = Math.min(85, bounds.getNorth());
    return [down(west), down(south), up(east), up(north)];
  }

  function boundsOf(box) {
    return L.latLngBounds([box[1], box[0]], [box[3], box[2]]);
  }

  /* What the map shows: everything at first (bounds null), later the part in view. */
  OfferMap.prototype.load = function (bounds, first) {
    var self = this;
    var zoom = this.map.getZoom();
    var ask = { zoom: zoom };
    var box = null;
    if (bounds) {
      box = snapped(bounds.pad(0.25), zoom);
      ask.bbox = box.join(",");
    }
    var number = ++this.asked;
    this.get(ask)
      .then(function (collection) {
        if (number !== self.asked) return; // the view moved on meanwhile
        self.take(collection, box ? boundsOf(box) : null, zoom);
        if (first) self.start(collection);
        else self.refresh();
      })
      .catch(function () {
        if (number === self.asked) self.say(self.data.tLoadingError);
      });
  };

  OfferMap.prototype.take = function (collection, bounds, zoom) {
    var features = [];
    var cells = [];
    (collection.features || []).forEach(function (feature) {
      var c = feature.geometry.coordinates;
      var latlng = L.latLng(c[1], c[0]);
      if (feature.properties.cluster) {
        cells.push({ latlng: latlng, count: feature.properties.count, bounds: boundsOf(feature.properties.bbox) });
      } else {
        features.push({ latlng: latlng, p: feature.properties });
      }
    });
    this.features = features;
    this.cells = cells;
    this.aggregated = !!collection.aggregated;
    this.loaded = { bounds: bounds, zoom: zoom };
  };

  /* The first answer: the list follows the map from now on, and the map fits the offers. */
  OfferMap.prototype.start = function (collection) {
    if (this.serverList) this.serverList.hidden = true;
    if (this.list) this.list.hidden = false;
    if (this.listCount) this.listCount.hidden = false;
    this.drawMarkers(); // at once, even if fitting the view below asks again
    var before = this.map.getBounds();
    var zoom = this.map.getZoom();
    if (collection.bbox) {
      var extent = boundsOf(collection.bbox);
      this.map.fitBounds(extent.pad(0.05), { maxZoom: 15, animate: false });
    }
    // fitBounds calls moved() when the view changed; otherwise draw what there is.
    if (this.map.getBounds().equals(before) && this.map.getZoom() === zoom) this.refresh();
  };

  /* After every move or zoom: draw from what is loaded if it covers the view, else ask. */
  OfferMap.prototype.moved = function () {
    if (!this.loaded) return; // the first answer is still on its way
    var view = this.map.getBounds();
    var covered = !this.loaded.bounds || this.loaded.bounds.contains(view);
    var sameZoom = this.loaded.zoom === this.map.getZoom();
    if (covered && (!this.aggregated || sameZoom)) {
      this.refresh();
    } else {
      this.load(view, false);
    }
  };

  OfferMap.prototype.refresh = function () {
    this.drawMarkers();
    this.drawList();
  };

  /* Greedy aggregation on a pixel grid: each marker joins the first group whose centre lies
     within CLUSTER_PIXELS (looking in the neighbouring grid cells only), or starts a group. */
  OfferMap.prototype.groups = function () {
    var map = this.map;
    var zoom = map.getZoom();
    var visible = map.getBounds().pad(0.25);
    var cells = {};
    var groups = [];
    this.features.forEach(function (feature) {
      if (!visible.contains(feature.latlng)) return;
      var point = map.project(feature.latlng, zoom);
      if (zoom >= CLUSTER_UNTIL_ZOOM) {
        groups.push({ point: point, members: [feature] });
        return;
      }
      var cx = Math.floor(point.x / CLUSTER_PIXELS);
      var cy = Math.floor(point.y / CLUSTER_PIXELS);
      var found = null;
      for (var dx = -1; dx <= 1 && !found; dx++) {
        for (var dy = -1; dy <= 1 && !found; dy++) {
          var bucket = cells[cx + dx + ":" + (cy + dy)] || [];
          for (var i = 0; i < bucket.length; i++) {
            if (bucket[i].point.distanceTo(point) <= CLUSTER_PIXELS) {
              found = bucket[i];
              break;
            }
          }
        }
      }
      if (found) {
        found.members.push(feature);
      } else {
        var group = { point: point, members: [feature] };
        groups.push(group);
        (cells[cx + ":" + cy] = cells[cx + ":" + cy] || []).push(group);
      }
    });
    return groups;
  };

  OfferMap.prototype.drawMarkers = function () {
    var self = this;
    var map = this.map;
    this.layer.clearLayers();
    if (this.aggregated) {
      this.features.forEach(function (feature) { self.layer.addLayer(self.offerMarker(feature)); });
      this.cells.forEach(function (cell) {
        self.layer.addLayer(self.clusterMarker(cell.latlng, cell.count, cell.bounds));
      });
      return;
    }
    this.groups().forEach(function (group) {
      if (group.members.length === 1) {
        self.layer.addLayer(self.offerMarker(group.members[0]));
        return;
      }
      var bounds = L.latLngBounds(group.members.map(function (f) { return f.latlng; }));
      var latlng = map.unproject(group.point, map.getZoom());
      self.layer.addLayer(self.clusterMarker(latlng, group.members.length, bounds));
    });
  };

  /* A numbered circle standing for `count` offers within `bounds`; a click zooms in. */
  OfferMap.prototype.clusterMarker = function (latlng, count, bounds) {
    var map = this.map;
    var label = format(this.data.tCluster, { count: count });
    var digits = String(count).length;
    var width = 44 + Math.max(0, digits - 2) * 9; // wider for long numbers
    var node = el("span", "map-cluster");
    var number = el("span", null, String(count));
    number.setAttribute("aria-hidden", "true");
    node.appendChild(number);
    node.appendChild(el("span", "visually-hidden", label));
    var icon = L.divIcon({ className: "", html: node, iconSize: [width, 44], iconAnchor: [width / 2, 22] });
    var marker = L.marker(latlng, { icon: icon, title: label, keyboard: true });
    marker.on("click", function () {
      var target = map.getBoundsZoom(bounds.pad(0.2));
      if (bounds.getNorthEast().equals(bounds.getSouthWest()) || target <= map.getZoom()) {
        map.setView(bounds.getCenter(), Math.min(map.getZoom() + 2, map.getMaxZoom()));
      } else {
        map.fitBounds(bounds.pad(0.2));
      }
    });
    return marker;
  };

  OfferMap.prototype.offerMarker = function (feature) {
    var p = feature.p;
    var category = this.categories[p.category] || {};
    var icon = L.divIcon({
      className: "",
      html: markerElement(p.colour || category.colour, category.icon, p.title),
      iconSize: [32, 32],
      iconAnchor: [16, 16],
      popupAnchor: [0, -14],
    });
    var marker = L.marker(feature.latlng, { icon: icon, title: p.title, keyboard: true });
    marker.bindPopup(this.popup(feature));
    return marker;
  };

  OfferMap.prototype.titleLink = function (p) {
    var link = el("a", null, p.title);
    link.href = p.url;
    if (this.data.linkTarget) link.target = this.data.linkTarget;
    if (!p.translated && this.lang !== "de") {
      link.lang = "de";
      link.dir = "ltr";
    }
    return link;
  };

  OfferMap.prototype.popup = function (feature) {
    var p = feature.p;
    var box = el("div", "map-popup");
    box.dir = document.documentElement.dir || "ltr";
    var title = el("p");
    var strong = el("strong");
    strong.appendChild(this.titleLink(p));
    title.appendChild(strong);
    box.appendChild(title);
    var category = this.categories[p.category];
    var meta = [category ? category.label : p.category, p.district].filter(Boolean).join(" · ");
    box.appendChild(el("p", null, meta));
    return box;
  };

  OfferMap.prototype.drawList = function () {
    if (!this.list) return;
    var view = this.map.getBounds();
    if (this.aggregated) {
      this.loadList(view);
      return;
    }
    var inView = this.features.filter(function (f) { return view.contains(f.latlng); });
    this.showList(inView, inView.length, false);
  };

  /* Many offers: the server sends the first of those in view, in list order, and their number. */
  OfferMap.prototype.loadList = function (view) {
    var self = this;
    var box = [view.getWest(), view.getSouth(), view.getEast(), view.getNorth()].map(function (v) {
      return v.toFixed(4);
    });
    var number = ++this.askedList;
    this.get({ bbox: box.join(","), limit: LIST_LIMIT })
      .then(function (collection) {
        if (number !== self.askedList) return;
        var features = (collection.features || []).map(function (feature) {
          var c = feature.geometry.coordinates;
          return { latlng: L.latLng(c[1], c[0]), p: feature.properties };
        });
        self.showList(features, collection.count, collection.count_capped, true);
      })
      .catch(function () {
        self.say(self.data.tLoadingError);
      });
  };

  OfferMap.prototype.showList = function (features, count, capped, sorted) {
    var self = this;
    if (this.position) {
      features.forEach(function (f) { f.distance = self.position.distanceTo(f.latlng); });
      features.sort(function (a, b) { return a.distance - b.distance; });
    } else if (!sorted) {
      var collator = new Intl.Collator(this.lang);
      features.sort(function (a, b) { return collator.compare(a.p.title, b.p.title); });
    }
    if (this.listCount) {
      var text = this.data.tNoneInView;
      if (capped) text = format(this.data.tManyInView, { count: count.toLocaleString(this.lang) });
      else if (count) text = format(this.data.tInView, { count: count });
      this.listCount.textContent = text;
    }
    var fragment = document.createDocumentFragment();
    features.slice(0, LIST_LIMIT).forEach(function (f) { fragment.appendChild(self.card(f)); });
    if (count > LIST_LIMIT && !capped) fragment.appendChild(el("li", "offer-list__more", this.data.tMore));
    this.list.replaceChildren(fragment);
  };

  OfferMap.prototype.card = function (feature) {
    var p = feature.p;
    var category = this.categories[p.category] || { label: p.category };
    var item = el("li", "offer-card");
    if (category.colour) item.style.borderInlineStartColor = category.colour;
    var heading = el("h3", "offer-card__title");
    heading.appendChild(this.titleLink(p));
    item.appendChild(heading);
    var meta = el("p", "offer-card__meta");
    var cat = el("span", "offer-card__category");
    var chip = el("span", "offer-card__chip");
    chip.setAttribute("aria-hidden", "true");
    chip.style.backgroundColor = category.colour || p.colour;
    cat.appendChild(chip);
    cat.appendChild(document.createTextNode(category.label));
    meta.appendChild(cat);
    if (p.district) meta.appendChild(el("span", "offer-card__district", p.district));
    item.appendChild(meta);
    if (this.position && feature.distance !== undefined) {
      var km = (feature.distance / 1000).toLocaleString(this.lang, { maximumFractionDigits: 1 });
      item.appendChild(el("p", "offer-card__distance", format(this.data.tDistance, { distance: km })));
    }
    return item;
  };

  OfferMap.prototype.setUpNearMe = function () {
    var button = this.root.querySelector("[data-near-me]");
    if (!button || !("geolocation" in navigator)) return;
    var self = this;
    button.hidden = false;
    button.addEventListener("click", function () {
      self.say(self.data.tLocating);
      navigator.geolocation.getCurrentPosition(
        function (where) {
          self.position = L.latLng(where.coords.latitude, where.coords.longitude);
          if (self.you) self.map.removeLayer(self.you);
          self.you = L.marker(self.position, {
            icon: L.divIcon({ className: "map-you", iconSize: [18, 18], iconAnchor: [9, 9] }),
            title: self.data.tYouAreHere,
            keyboard: false,
            interactive: false,
          }).addTo(self.map);
          self.say(self.data.tLocated);
          self.map.setView(self.position, 14);
          self.refresh();
        },
        function () {
          self.say(self.data.tPositionError);
        },
        { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 }
      );
    });
  };

  /* ------------------------------------------------------------ an offer's page */

  function locationMap(root) {
    var data = root.dataset;
    var canvas = root.querySelector("[data-map-canvas]");
    var lat = parseFloat(data.lat);
    var lon = parseFloat(data.lon);
    if (!canvas || isNaN(lat) || isNaN(lon)) return;
    canvas.hidden = false;
    var map = baseMap(canvas, data, { scrollWheelZoom: false });
    map.setView([lat, lon], 16);
    L.marker([lat, lon], {
      icon: L.divIcon({
        className: "",
        html: markerElement(data.colour, data.icon, data.title),
        iconSize: [32, 32],
        iconAnchor: [16, 16],
      }),
      title: data.title,
      keyboard: false,
      interactive: false,
    }).addTo(map);
  }

  function start() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
    var filters = document.querySelector("[data-filters]");
    if (filters && window.matchMedia("(min-width: 60rem)").matches) filters.open = true;
    if (typeof L === "undefined") return; // Leaflet missing: the list alone still works
    document.querySelectorAll("[data-offer-map]").forEach(function (root) { new OfferMap(root); });
    document.querySelectorAll("[data-offer-location]").forEach(locationMap);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
