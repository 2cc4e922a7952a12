// Live sub-totals of the CRF inventory form: each sector's sum, BASIC, BASIC+ and generation.
// The server computes the same figures on save (tracker/climate/totals.py); this only echoes
// them while typing. Sums run on integers scaled to the longest decimal typed, so that
// 0.1 + 0.2 shows 0.3 as the server's exact decimals do.
(function () {
  "use strict";

  var form = document.querySelector("form.climate-inventory");
  if (!form) { return; }

  // Read a typed number as [digits as BigInt, decimal places]; null when it is not a number.
  function parse(text) {
    var cleaned = text.replace(/[\s\u00a0\u202f]/g, "");
    var match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(cleaned);
    if (!match || (match[2] === "" && !match[3])) { return null; }
    var fraction = match[3] || "";
    return [BigInt(match[1] + (match[2] || "0") + fraction), fraction.length];
  }

  function Sum() { this.units = BigInt(0); this.places = 0; }
  Sum.prototype.add = function (number) {
    var places = Math.max(this.places, number[1]);
    this.units = this.units * BigInt(10) ** BigInt(places - this.places) +
      number[0] * BigInt(10) ** BigInt(places - number[1]);
    this.places = places;
  };
  // Write like the server: thousands separated by commas, no trailing zeros.
  Sum.prototype.text = function () {
    var negative = this.units < 0;
    var digits = (negative ? -this.units : this.units).toString().padStart(this.places + 1, "0");
    var whole = digits.slice(0, digits.length - this.places);
    var fraction = digits.slice(digits.length - this.places).replace(/0+$/, "");
    whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return (negative ? "-" : "") + whole + (fraction ? "." + fraction : "");
  };

  function show(id, sum) {
    var element = document.getElementById(id);
    if (element) { element.textContent = sum.text(); }
  }

  function update() {
    var sectors = {}, basic = new Sum(), basicPlus = new Sum();
    form.querySelectorAll("input.climate-cell__value").forEach(function (input) {
      var sector = input.dataset.sector;
      sectors[sector] = sectors[sector] || new Sum();
      var number = parse(input.value);
      if (number === null) { return; }
      sectors[sector].add(number);
      if (input.dataset.basic) { basic.add(number); }
      if (input.dataset.basicPlus) { basicPlus.add(number); }
    });
    Object.keys(sectors).forEach(function (sector) {
      show("subtotal-" + sector, sectors[sector]);
    });
    show("total-basic", basic);
    show("total-basic-plus", basicPlus);
    show("total-generation", sectors.generation || new Sum());
  }

  form.addEventListener("input", function (event) {
    if (event.target.classList.contains("climate-cell__value")) { update(); }
  });
})();
