// Draws the places embedded in the page (json_script) on a Leaflet map.
// Without tiles (MAP_TILE_URL empty, or offline) the markers still show.
(function () {
  "use strict";

  function readJSON(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }

  function link(href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  function popup(place) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.appendChild(link(place.url, place.name));
    box.appendChild(title);
    if (place.incidents.length) {
      var list = document.createElement("ul");
      place.incidents.forEach(function (incident) {
        var item = document.createElement("li");
        item.appendChild(link(incident.url, incident.label));
        list.appendChild(item);
      });
      box.appendChild(list);
    }
    if (place.more) {
      var more = document.createElement("p");
      more.appendChild(link(place.url, place.more_label));
      box.appendChild(more);
    }
    return box;
  }

  function draw(element) {
    var places = readJSON(element.getAttribute("data-places"));
    var conf = readJSON(element.getAttribute("data-settings"));
    var map = L.map(element, { scrollWheelZoom: false });
    if (conf.tiles) {
      L.tileLayer(conf.tiles, { attribution: conf.attribution, maxZoom: 18 }).addTo(map);
    }
    var points = [];
    places.forEach(function (place) {
      var point = [place.lat, place.lng];
      points.push(point);
      L.marker(point, { title: place.name, alt: place.name })
        .bindPopup(popup(place))
        .addTo(map);
    });
    if (points.length > 1) {
      map.fitBounds(points, { padding: [24, 24], maxZoom: 9 });
    } else if (points.length === 1) {
      map.setView(points[0], 7);
    } else {
      map.setView(conf.center, conf.zoom);
    }
  }

  document.querySelectorAll("[data-map]").forEach(draw);
})();
