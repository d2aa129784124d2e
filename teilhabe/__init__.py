"""Teilhabe: a platform for the municipal integration centres of German cities."""
