# The simulated stays of stay_effect's calibration in R, sourced by
# effect_tau_rules.R and effect_interval.R (not run on its own): one data
# set as test/lib/effect_sim.sql makes it (60 treated and 120 untreated
# stays, starts uniform over the W days up to as_of, untreated lengths
# ceil(X), X log-normal (5.0, 0.9), treated ceil(0.7 X), open stays
# censored at as_of), the Kaplan-Meier restricted mean as stay_effect
# computes it, and the truth from the distribution (plnorm).

# RMST up to tau, its Greenwood-type variance (R survfit's se(rmean)²) and
# the stays ended by tau.
km_rmst <- function(y, d, tau) {
  ut <- sort(unique(y[d == 1 & y <= tau]))
  if (!length(ut)) return(c(tau, 0, 0))
  ni <- sapply(ut, function(t) sum(y >= t)); di <- sapply(ut, function(t) sum(y == t & d == 1))
  s <- cumprod(1 - di / ni)
  area <- s * diff(c(ut, tau)); A <- rev(cumsum(rev(area)))
  c(ut[1] + sum(area), sum(A^2 * ifelse(ni > di, di / (ni * (ni - di)), 0)), sum(di))
}

# The true RMST up to tau of lengths ceil(f X).
truth <- function(tau, f) sum(plnorm(0:(tau - 1), 5 + log(f), 0.9, lower.tail = FALSE))

# One data set: treated flags, follow-up, ended flags, observed lengths, and
# known(t), t cut to a group's longest length unless its curve fell to 0 there.
sim_set <- function(W) {
  tr <- rep(c(TRUE, FALSE), c(60, 120)); fu <- floor(runif(180) * W)
  x <- exp(5 + 0.9 * rnorm(180)); len <- pmax(1, ceiling(ifelse(tr, 0.7 * x, x)))
  d <- as.integer(len <= fu); y <- pmin(len, fu)
  lt <- max(y[tr]); lu <- max(y[!tr])
  zt <- !any(y[tr] == lt & d[tr] == 0); zu <- !any(y[!tr] == lu & d[!tr] == 0)
  list(tr = tr, fu = fu, d = d, y = y, lt = lt, lu = lu,
       known = function(t) min(t, if (zt) Inf else lt, if (zu) Inf else lu))
}
