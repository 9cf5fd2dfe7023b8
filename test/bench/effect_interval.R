# Which 95 % interval for stay_effect's days saved covers 95 %
# (docs/effect_calibration.md; not part of `make test`):
#   S=4000 W=731 SEED=11 Rscript test/bench/effect_interval.R
# S data sets as test/lib/effect_sim.sql makes them (effect_sim.R), each estimated at stay_effect's default tau (the
# median follow-up, cut where a curve is not known) by Kaplan-Meier
# restricted means with Greenwood-type variances, and four intervals of
# days saved scored against the truth at that tau (plnorm):
#   normal            ± qnorm(0.975) se (0.1.0 and 0.2.0 before this change)
#   factor, normal    each group's variance × m/(m-1), m its stays ended by tau
#   t (Welch)         ± qt(0.975, Welch-Satterthwaite df from m - 1 per group)
#   factor, t (Welch) both (what stay_effect does)
# and the standard deviation of the errors against the root mean square se.
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "effect_sim.R"))
S <- as.integer(Sys.getenv("S", "4000")); W <- as.integer(Sys.getenv("W", "731"))
set.seed(as.integer(Sys.getenv("SEED", "11")))
res <- matrix(NA, S, 6)
for (s in 1:S) {
  z <- sim_set(W); tr <- z$tr; d <- z$d; y <- z$y
  tau <- z$known(max(1, sort(z$fu)[90]))
  a <- km_rmst(y[tr], d[tr], tau); b <- km_rmst(y[!tr], d[!tr], tau)
  res[s, ] <- c(60 * (b[1] - a[1]), a[2], b[2], a[3], b[3], 60 * (truth(tau, 1) - truth(tau, 0.7)))
}
err <- res[, 1] - res[, 6]; vt <- res[, 2]; vu <- res[, 3]; mt <- res[, 4]; mu <- res[, 5]
fac <- function(m) ifelse(m > 1, m / (m - 1), 1)
welch <- function(a, b) (a + b)^2 / (a^2 / pmax(mt - 1, 1) + b^2 / pmax(mu - 1, 1))
se0 <- 60 * sqrt(vt + vu); se1 <- 60 * sqrt(vt * fac(mt) + vu * fac(mu))
cover <- function(se, q) 100 * mean(abs(err) <= q * se)
cat(sprintf("%d data sets, starts over %d days: stays ended by tau, treated %.1f, untreated %.1f of 60 and 120\n",
            S, W, mean(mt), mean(mu)))
cat(sprintf("coverage of days saved (± %.2f): normal %.2f %%, factor, normal %.2f %%, t (Welch) %.2f %%, factor, t (Welch) %.2f %%\n",
            100 * sqrt(0.95 * 0.05 / S), cover(se0, qnorm(0.975)), cover(se1, qnorm(0.975)),
            cover(se0, qt(0.975, welch(vt, vu))), cover(se1, qt(0.975, welch(vt * fac(mt), vu * fac(mu))))))
cat(sprintf("sd of the errors %.1f days; root mean square se: without the factor %.1f, with it %.1f\n",
            sd(err), sqrt(mean(se0^2)), sqrt(mean(se1^2))))
