/**
 * Demo reference data: real municipalities of the five program countries; the schools are made up
 * (names in the style of each country, codes prefixed DEMO) so nobody mistakes them for real data.
 */
export const DEMO_PLACES: Record<string, { municipalities: string[]; schoolPrefix: string[] }> = {
  SV: {
    municipalities: ['San Salvador', 'Santa Tecla', 'Sonsonate', 'Santa Ana', 'San Miguel'],
    schoolPrefix: ['Centro Escolar', 'Instituto Nacional'],
  },
  PA: {
    municipalities: ['Panamá', 'San Miguelito', 'Colón', 'David', 'Chitré'],
    schoolPrefix: ['Escuela', 'Colegio'],
  },
  DO: {
    municipalities: [
      'Santo Domingo Este',
      'Santiago de los Caballeros',
      'La Romana',
      'San Pedro de Macorís',
      'Puerto Plata',
    ],
    schoolPrefix: ['Escuela Básica', 'Liceo'],
  },
  BZ: {
    municipalities: ['Belize City', 'Belmopan', 'San Ignacio', 'Orange Walk Town', 'Dangriga'],
    schoolPrefix: ['Primary School', 'High School'],
  },
  PR: {
    municipalities: ['San Juan', 'Bayamón', 'Ponce', 'Carolina', 'Caguas'],
    schoolPrefix: ['Escuela Elemental', 'Escuela Superior'],
  },
};

export const DEMO_SCHOOL_NAMES = [
  'Las Flores',
  'Los Pinos',
  'San José',
  'La Esperanza',
  'El Progreso',
  'Nueva Vida',
];
