package dev.tracewire.sample.inventory;

import dev.tracewire.sample.model.PartRequest;
import dev.tracewire.sample.model.Reservation;
import java.util.Map;

/**
 * The stock of spare parts, by part number. The seal kit of the old hydraulic press is no longer
 * made, so it can never be reserved.
 */
public final class Stockroom implements InventoryDesk {

    /** Where each stocked part is kept. */
    private static final Map<String, String> BINS = Map.of(
            "bearing-6204", "A-12",
            "valve-plate-VP3", "B-03",
            "heating-element-HE5", "C-07");
    private static final String DISCONTINUED = "seal-kit-HP9";

    @Override
    public Reservation reserve(PartRequest request) {
        String bin = BINS.get(request.part());
        if (bin != null) {
            return new Reservation(request.part(), true, bin, null);
        }
        String reason = request.part().equals(DISCONTINUED) ? "discontinued by its maker" : "not stocked";
        return new Reservation(request.part(), false, null, reason);
    }
}
