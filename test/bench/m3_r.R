# R's forecast package on the M3 monthly series, for test/bench/m3_bench.sh:
#   Rscript test/bench/m3_r.R TRAIN_CSV OUT_DIR [N_SERIES [JOBS]]
# Fits ets(y) + forecast(h = 18) and thetaf(y, h = 18) with
# y <- ts(train, frequency = 12) for the first N_SERIES series of TRAIN_CSV
# (file order; default all), in JOBS processes (parallel::mclapply; default 1).
# Writes OUT_DIR/forecasts.csv (method, series_id, h, point, lo80, hi80, lo95,
# hi95) and OUT_DIR/times.csv (method, series_id, seconds: elapsed time of the
# fit and forecast of that one series).  The random seed is set before every
# series (ets simulates the intervals of some multiplicative models), so the
# results do not depend on JOBS.
suppressPackageStartupMessages({
  library(forecast)
  library(parallel)
})

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2) stop("usage: Rscript m3_r.R TRAIN_CSV OUT_DIR [N_SERIES [JOBS]]")
train_csv <- args[1]
out_dir <- args[2]
n_series <- if (length(args) >= 3) as.integer(args[3]) else NA_integer_
jobs <- if (length(args) >= 4) as.integer(args[4]) else 1L
H <- 18L

d <- read.csv(train_csv, colClasses = c("character", "integer", "numeric"))
ids <- unique(d$series_id)
if (!is.na(n_series) && n_series < length(ids)) ids <- ids[seq_len(n_series)]
d <- d[d$series_id %in% ids, ]
d <- d[order(match(d$series_id, ids), d$t), ]
values <- split(d$value, factor(d$series_id, levels = ids))

# One method's forecast of one series as a data frame (NA rows when it fails).
as_rows <- function(method, id, f) {
  if (is.null(f)) {
    na <- rep(NA_real_, H)
    return(data.frame(method, series_id = id, h = seq_len(H), point = na,
                      lo80 = na, hi80 = na, lo95 = na, hi95 = na))
  }
  i80 <- which(f$level == 80)
  i95 <- which(f$level == 95)
  data.frame(method, series_id = id, h = seq_len(H),
             point = as.numeric(f$mean),
             lo80 = as.numeric(f$lower[, i80]), hi80 = as.numeric(f$upper[, i80]),
             lo95 = as.numeric(f$lower[, i95]), hi95 = as.numeric(f$upper[, i95]))
}

# Run one method on one series: its forecast and its elapsed seconds.
timed <- function(method, id, fn) {
  set.seed(20000101)
  t0 <- proc.time()[["elapsed"]]
  f <- tryCatch(suppressWarnings(fn()), error = function(e) {
    message(sprintf("m3_r: %s failed on %s: %s", method, id, conditionMessage(e)))
    NULL
  })
  el <- proc.time()[["elapsed"]] - t0
  list(rows = as_rows(method, id, f),
       time = data.frame(method, series_id = id, seconds = el))
}

# Both methods on series number i.
one_series <- function(i) {
  id <- ids[i]
  y <- ts(values[[i]], frequency = 12)
  e <- timed("ets", id, function() forecast(ets(y), h = H, level = c(80, 95)))
  th <- timed("thetaf", id, function() thetaf(y, h = H, level = c(80, 95)))
  if (i %% 100 == 0) message(sprintf("m3_r: %d of %d series done", i, length(ids)))
  list(rows = rbind(e$rows, th$rows), time = rbind(e$time, th$time))
}

t_start <- proc.time()[["elapsed"]]
res <- if (jobs > 1) {
  mclapply(seq_along(ids), one_series, mc.cores = jobs, mc.preschedule = TRUE)
} else {
  lapply(seq_along(ids), one_series)
}
bad <- vapply(res, function(r) inherits(r, "try-error") || is.null(r$rows), logical(1))
if (any(bad)) stop(sprintf("m3_r: %d series lost by a worker", sum(bad)))

dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)
rows <- do.call(rbind, lapply(res, `[[`, "rows"))
times <- do.call(rbind, lapply(res, `[[`, "time"))
# 17 significant digits: the scores in SQL see the same doubles R computed
num <- c("point", "lo80", "hi80", "lo95", "hi95")
rows[num] <- lapply(rows[num], function(v) ifelse(is.finite(v), sprintf("%.17g", v), ""))
write.csv(rows, file.path(out_dir, "forecasts.csv"), row.names = FALSE, quote = FALSE)
write.csv(times, file.path(out_dir, "times.csv"), row.names = FALSE, quote = FALSE)
message(sprintf("m3_r: %d series, %d process(es), %.0f s wall; forecast %s",
                length(ids), jobs, proc.time()[["elapsed"]] - t_start,
                as.character(packageVersion("forecast"))))
