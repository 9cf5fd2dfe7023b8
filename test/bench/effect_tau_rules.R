# How the choice of stay_effect's default horizon tau biases days saved
# (docs/effect_calibration.md; not part of `make test`):
#   S=3000 W=731 SEED=11 Rscript test/bench/effect_tau_rules.R
# S data sets as test/lib/effect_sim.sql makes them (60 treated and 120
# untreated stays, starts uniform over the W days up to as_of, untreated
# lengths ceil(X), X log-normal (5.0, 0.9), treated ceil(0.7 X), open stays
# censored at as_of), each estimated as stay_effect does (Kaplan-Meier
# restricted means, Greenwood-type variances, a normal 95 % interval) at
# the tau of each rule, against the truth at that tau (plnorm).  Rules:
#   longest   the shorter of the groups' longest follow-up (0.1.0's default)
#   atrisk5   the shorter of the groups' 5th longest follow-up
#   fixed365  365 days, fixed in advance
#   fu50      the median of as_of - start (both groups), cut to a group's
#             longest length unless its curve has fallen to 0 there
#   fu75      the same with the upper quartile (the default since issue 19)
#   fu75cut   the upper quartile cut to both groups' longest lengths always
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "effect_sim.R"))
S <- as.integer(Sys.getenv("S", "3000")); W <- as.integer(Sys.getenv("W", "731"))
set.seed(as.integer(Sys.getenv("SEED", "11")))
rules <- c("longest", "atrisk5", "fixed365", "fu50", "fu75", "fu75cut")
out <- NULL
for (s in 1:S) {
  z <- sim_set(W); tr <- z$tr; fu <- z$fu; d <- z$d; y <- z$y; lt <- z$lt; lu <- z$lu; known <- z$known
  q <- function(p) max(1, sort(fu)[ceiling(p * 180)])
  for (r in rules) {
    tau <- switch(r, longest = min(lt, lu),
                  atrisk5 = min(sort(y[tr], TRUE)[5], sort(y[!tr], TRUE)[5]),
                  fixed365 = 365, fu50 = known(q(0.5)), fu75 = known(q(0.75)),
                  fu75cut = min(q(0.75), lt, lu))
    a <- km_rmst(y[tr], d[tr], tau); b <- km_rmst(y[!tr], d[!tr], tau)
    out <- rbind(out, data.frame(r, tau, est = 60 * (b[1] - a[1]), se = 60 * sqrt(a[2] + b[2]),
                                 truth = 60 * (truth(tau, 1) - truth(tau, 0.7)),
                                 rt = a[1], set = sqrt(a[2]), tt = truth(tau, 0.7)))
  }
}
cat(sprintf("%d data sets, starts over %d days\n", S, W))
cat("rule      mean tau  mean error (% of truth, ± SE)  coverage  treated RMST coverage\n")
for (r in rules) {
  z <- out[out$r == r, ]; e <- z$est - z$truth
  cat(sprintf("%-9s %8.0f  %7.1f (%6.2f %% ± %.2f)        %5.1f %%  %5.1f %%\n", r, mean(z$tau), mean(e),
              100 * mean(e) / mean(z$truth), 100 * sd(e) / sqrt(nrow(z)) / mean(z$truth),
              100 * mean(abs(e) <= qnorm(0.975) * z$se), 100 * mean(abs(z$rt - z$tt) <= qnorm(0.975) * z$set)))
}
