#ifndef FPAUDIT_CMPFR_SHIM_H
#define FPAUDIT_CMPFR_SHIM_H
#include <stdio.h>
#include <gmp.h>
#include <mpfr.h>
#endif
