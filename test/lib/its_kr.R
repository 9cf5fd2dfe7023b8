# Reference for test/its.sql: interrupted time series by R's nlme::gls (AR(1)
# errors over month positions, REML) and the Kenward-Roger (1997) adjusted
# variance with Satterthwaite's df for one contrast, from the paper's general
# formulas with dense matrices (P_i, Q_ij, R_ij, expected REML information).
# Reads a CSV (id, m = month number, y, t0 = intervention month number);
# writes per id and coefficient: id, name, estimate, model SE, KR SE, KR df,
# and per id rho and sigma.
suppressMessages(library(nlme))
args <- commandArgs(TRUE)
d <- read.csv(args[1])
kr <- function(X, pos, rho, s2, cs) {
  lag <- abs(outer(pos, pos, "-"))
  R <- rho^lag
  D1 <- ifelse(lag == 0, 0, lag * rho^pmax(lag - 1, 0))
  D2 <- ifelse(lag < 2, 0, lag * (lag - 1) * rho^pmax(lag - 2, 0))
  Sig <- s2 * R; Si <- solve(Sig)
  dS <- list(R, s2 * D1)
  d2S <- list(list(0 * R, D1), list(D1, s2 * D2))
  Phi <- solve(t(X) %*% Si %*% X)
  P <- lapply(dS, function(A) -t(X) %*% Si %*% A %*% Si %*% X)
  PR <- Si - Si %*% X %*% Phi %*% t(X) %*% Si
  I <- matrix(0, 2, 2)
  for (i in 1:2) for (j in 1:2) I[i, j] <- 0.5 * sum(diag(PR %*% dS[[i]] %*% PR %*% dS[[j]]))
  W <- solve(I)
  S <- 0 * Phi
  for (i in 1:2) for (j in 1:2) {
    Q <- t(X) %*% Si %*% dS[[i]] %*% Si %*% dS[[j]] %*% Si %*% X
    Rij <- t(X) %*% Si %*% d2S[[i]][[j]] %*% Si %*% X
    S <- S + W[i, j] * (Q - P[[i]] %*% Phi %*% P[[j]] - Rij / 4)
  }
  PhiA <- Phi + 2 * Phi %*% S %*% Phi
  t(sapply(cs, function(cc) {
    g <- drop(t(cc) %*% Phi %*% cc)
    grad <- sapply(P, function(Pi) -drop(t(cc) %*% Phi %*% Pi %*% Phi %*% cc))
    c(se = sqrt(g), se_kr = sqrt(drop(t(cc) %*% PhiA %*% cc)),
      df = 2 * g^2 / drop(t(grad) %*% W %*% grad))
  }))
}
for (id in unique(d$id)) {
  s <- d[d$id == id, ]
  s$t <- s$m - s$t0; s$after <- as.numeric(s$t >= 0); s$ta <- s$t * s$after
  s$mon <- factor(s$m %% 12); s$pos <- s$m - min(s$m)
  seasonal <- nrow(s) >= 24 && all(table(factor(s$m %% 12, levels = 0:11)) >= 2)
  f <- if (seasonal) gls(y ~ t + after + ta + mon, s, correlation = corAR1(form = ~ pos), method = "REML")
       else gls(y ~ t + after + ta, s, correlation = corAR1(form = ~ pos), method = "REML")
  rho <- coef(f$modelStruct$corStruct, unconstrained = FALSE)
  X <- model.matrix(f, data = s)
  p <- ncol(X)
  cs <- list(level = (1:p) == 3, trend = (1:p) == 4)
  k <- kr(X, s$pos, rho, f$sigma^2, lapply(cs, as.numeric))
  b <- coef(f)
  writeLines(sprintf("%d,%s,%.17g,%.17g,%.17g,%.17g", id, c("level", "trend"), b[3:4], k[, "se"], k[, "se_kr"], k[, "df"]))
  writeLines(sprintf("%d,%s,%.17g,,,", id, c("rho", "sigma", "pre_trend"), c(rho, f$sigma, b[2])))
}
