-- Rotates through queries a shopper would type: with and without diacritics, typos, English.
local queries = {
  "nuoc+mam", "n%C6%B0%E1%BB%9Bc+m%E1%BA%AFm", "thanh+long", "yen+sao", "rong+nhoo", "fish+sauce",
  "dragon+fruit+wine", "ho%C3%A0+l%E1%BB%87", "gao+st25", "muc+mot+nang", "cashew", "duc+linh",
  "ruou+vang&stars=4", "thanh+long&valid=1&sort=price_asc", "bird%27s+nest", "pitayna",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/v1/products?q=" .. queries[(i % #queries) + 1])
end
