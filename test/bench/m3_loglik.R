# R's ets likelihood on the M3 monthly series, for test/bench/m3_bench.sh
# (LOGLIK=N): Rscript test/bench/m3_loglik.R TRAIN_CSV OUT_CSV [N_SERIES]
# Fits ets(y) with y <- ts(train, frequency = 12) for the first N_SERIES
# series of TRAIN_CSV (file order; default all) and writes OUT_CSV:
# series_id, the chosen form as actionplan pins it (e.g. "ets(M,Ad,M)"),
# observations, parameters counted by ets (smoothing, initial states,
# sigma), its log-likelihood and AICc.  Both are ets's own: loglik =
# -0.5 (n log SSE + 2 sum log|yhat| for multiplicative errors), without
# the constant terms, the criterion actionplan's fit computes too.
suppressPackageStartupMessages(library(forecast))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2) stop("usage: Rscript m3_loglik.R TRAIN_CSV OUT_CSV [N_SERIES]")
d <- read.csv(args[1], colClasses = c("character", "integer", "numeric"))
ids <- unique(d$series_id)
if (length(args) >= 3 && as.integer(args[3]) < length(ids)) ids <- ids[seq_len(as.integer(args[3]))]

# One series: R's chosen ets form and its likelihood (NA row when ets fails).
one <- function(id) {
  y <- ts(d$value[d$series_id == id][order(d$t[d$series_id == id])], frequency = 12)
  fit <- tryCatch(suppressWarnings(ets(y)), error = function(e) NULL)
  if (is.null(fit)) return(data.frame(series_id = id, form = NA, n = length(y), np = NA, loglik = NA, aicc = NA))
  co <- fit$components
  form <- sprintf("ets(%s,%s%s,%s)", co[1], co[2], if (co[4] == "TRUE") "d" else "", co[3])
  data.frame(series_id = id, form, n = length(y), np = length(fit$par) + 1,
             loglik = sprintf("%.17g", fit$loglik), aicc = sprintf("%.17g", fit$aicc))
}
rows <- do.call(rbind, lapply(ids, one))
write.csv(rows, args[2], row.names = FALSE, quote = 2)  # the form has commas
